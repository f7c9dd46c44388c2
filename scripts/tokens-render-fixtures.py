#!/usr/bin/env python3
"""Renders test/tokens/fixtures/conversations.json with every shipped chat template (and the probe templates of
snippets.json) using Python Jinja2 configured the
way transformers' apply_chat_template configures it, and writes test/tokens/fixtures/renders.json (the expected
strings the JavaScript renderer must reproduce).

transformers (src/transformers/utils/chat_template_utils.py, _compile_jinja_template / render_jinja_template):
  ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
  filters["tojson"] = json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)
  globals["raise_exception"] raises TemplateError; globals["strftime_now"] = datetime.now().strftime(fmt)
  render(messages=..., tools=..., documents=None, add_generation_prompt=..., **special_tokens_map)
The clock is pinned (FIXED_NOW) so dated templates (Llama 3.2, gpt-oss) are reproducible.

Usage: python3 scripts/tokens-render-fixtures.py   (Debian: apt-get install python3-jinja2)
"""
import json
import os
from datetime import datetime

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXED_NOW = datetime(2026, 1, 5, 12, 0, 0)

# template file -> special tokens as in the model's tokenizer_config.json (None = not set, not passed)
TEMPLATES = {
    "llama3": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama3.1": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama3.2": ("<|begin_of_text|>", "<|eot_id|>"),
    "qwen2.5": (None, "<|im_end|>"),
    "qwen3": (None, "<|im_end|>"),
    "mistral-v1": ("<s>", "</s>"),
    "deepseek-v3": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "deepseek-r1": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "gemma3": ("<bos>", "<eos>"),
    "gpt-oss": ("<|startoftext|>", "<|return|>"),
    "llama2": ("<s>", "</s>"),
}


# Templates of the families whose files come from the Hugging Face Hub (test/tokens/fixtures/templates/, see
# SOURCES.md there): rendered with the shipped conversations plus conversations-hub.json (reasoning_content,
# multimodal content lists, tool calls with object arguments, <think> in content).
HUB_TEMPLATES = {
    "glm-4.6": (None, "<|endoftext|>"),
    "kimi-k2": (None, "<|im_end|>"),
    "kimi-k2-thinking": (None, "<|im_end|>"),
    "deepseek-v3.1": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "nemotron-nano-v2": ("<s>", "</s>"),
    "gemma4": ("<bos>", "<eos>"),
    "llama4": ("<|begin_of_text|>", "<|eot|>"),
    "qwen3.5": (None, "<|im_end|>"),
}


def render_all(e, src, bos, eos, cases):
    tpl = e.from_string(src)
    res = {}
    for case in cases:
        kwargs = {"messages": case["messages"], "tools": case.get("tools"), "documents": None,
                  "add_generation_prompt": bool(case.get("addGenerationPrompt", False))}
        if bos is not None:
            kwargs["bos_token"] = bos
        if eos is not None:
            kwargs["eos_token"] = eos
        try:
            res[case["name"]] = {"text": tpl.render(**kwargs)}
        except Exception as ex:  # noqa: BLE001 - the fixture records the failure
            res[case["name"]] = {"error": f"{type(ex).__name__}: {ex}"}
    return res


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(fmt):
    return FIXED_NOW.strftime(fmt)


def env():
    e = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    e.filters["tojson"] = tojson
    e.globals["raise_exception"] = raise_exception
    e.globals["strftime_now"] = strftime_now
    return e


def main():
    cases = json.load(open(os.path.join(ROOT, "test/tokens/fixtures/conversations.json"), encoding="utf-8"))
    out = {"generatedBy": "scripts/tokens-render-fixtures.py", "jinja2": jinja2.__version__, "now": FIXED_NOW.isoformat(), "renders": {}}
    e = env()
    for name, (bos, eos) in TEMPLATES.items():
        src = open(os.path.join(ROOT, "data/templates", name + ".jinja"), encoding="utf-8").read()
        tpl = e.from_string(src)
        res = {}
        for case in cases:
            kwargs = {"messages": case["messages"], "tools": case.get("tools"), "documents": None,
                      "add_generation_prompt": bool(case.get("addGenerationPrompt", False))}
            if bos is not None:
                kwargs["bos_token"] = bos
            if eos is not None:
                kwargs["eos_token"] = eos
            try:
                res[case["name"]] = {"text": tpl.render(**kwargs)}
            except Exception as ex:  # noqa: BLE001 - the fixture records the failure
                res[case["name"]] = {"error": f"{type(ex).__name__}: {ex}"}
        out["renders"][name] = res
    hub_cases = cases + json.load(open(os.path.join(ROOT, "test/tokens/fixtures/conversations-hub.json"), encoding="utf-8"))
    out["hub"] = {}
    for name, (bos, eos) in HUB_TEMPLATES.items():
        src = open(os.path.join(ROOT, "test/tokens/fixtures/templates", name + ".jinja"), encoding="utf-8").read()
        out["hub"][name] = render_all(e, src, bos, eos, hub_cases)
    # Small templates probing Python corners (str() of None/bools/containers, strip family, equality, tojson, ...).
    snippets = json.load(open(os.path.join(ROOT, "test/tokens/fixtures/snippets.json"), encoding="utf-8"))
    out["snippets"] = {}
    for snip in snippets:
        try:
            out["snippets"][snip["name"]] = {"text": e.from_string(snip["template"]).render(**snip["context"])}
        except Exception as ex:  # noqa: BLE001
            out["snippets"][snip["name"]] = {"error": f"{type(ex).__name__}: {ex}"}
    with open(os.path.join(ROOT, "test/tokens/fixtures/renders.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
