import { findCredentials, mayHoldCredential } from "./utils/secrets.js";
import { decodeView } from "./utils/view.js";
import { reportFoundInStrings } from "./utils/strings.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "credential-found",
    severity: "error",
    description: "Disallow API keys, tokens and private keys in the data (they are never printed in full).",
    messages: {
      found: "{{label}} in the data ({{masked}}): a model trained on it can repeat it to anyone who prompts it. Remove or replace it.",
    },
    scope: "record",
    docs: [
      "A credential in a training example is learned like any other text, and a fine-tuned model can reproduce it for",
      "anyone who can prompt it; the dataset file itself is uploaded and stored too. Rotate the key, then remove it or",
      "replace it with a placeholder (`sk-...`, `<API_KEY>`).",
      "",
      "Every string of every record is searched (message contents, tool call arguments, any field), and lines that are",
      "not valid JSON are searched as raw text. Shapes recognised, each with checks that keep false positives low:",
      "",
      "| credential | shape | extra checks |",
      "|---|---|---|",
      "| OpenAI API key | `sk-` + 48 (legacy), `sk-proj-`, `sk-svcacct-`, `sk-admin-` + 20 or more | the `T3BlbkFJ` marker, or 32+ characters with digits, letters and at least 4 bits of entropy per character |",
      "| Anthropic API key | `sk-ant-api03-` (also `admin01`, `oat01`) + 80 to 120 | entropy |",
      "| AWS access key ID | `AKIA`, `ASIA`, `ABIA`, `ACCA` + 16 of `A-Z2-7` | not AWS's documented `...EXAMPLE` keys; entropy |",
      "| AWS secret access key | 40 base64 characters after `aws_secret_access_key =` or `:` | entropy; not the documented example |",
      "| GitHub token | `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36; `github_pat_` + 22 `_` 59 | entropy |",
      "| Slack token | `xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxs-`, `xoxr-` + numeric groups + 16 to 48 | entropy |",
      "| Google API key | `AIza` + 35 | entropy |",
      "| Hugging Face token | `hf_` (or `api_org_`) + 34 letters | both cases, entropy |",
      "| Stripe secret key | `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_` + 24 or more | entropy (publishable `pk_` keys are not secret) |",
      "| JSON Web Token | `eyJ...` `.` `eyJ...` `.` signature | the header decodes to JSON with an `alg` |",
      "| private key (PEM) | `-----BEGIN ... PRIVATE KEY-----` ... `-----END ... PRIVATE KEY-----` | a base64 body of 64+ characters |",
      "",
      "Placeholders are not reported: runs of one character, `xxxx`, `your...`, `example`, `dummy`, `redacted`, and keys",
      "without digits. A token must stand alone (not glued to other letters or digits).",
      "",
      "**The value is never printed in full**: the message, the JSON `data`, SARIF, GitHub annotations, Markdown, JUnit",
      "and HTML reports show only the fixed prefix and at most 4 more characters (never more than a quarter of the value),",
      "then its length, e.g. `sk-proj-Ab12…(164 chars)`. The column points at the credential itself.",
    ].join("\n"),
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "My key is ghp_R8a0f3KQz7Lm2xV9cT4bN1pW6yE5uJ0sHdGq, why does it fail?"}, {"role": "assistant", "content": "Revoke it first."}]}',
      ],
      good: [
        '{"messages": [{"role": "user", "content": "My key is ghp_..., why does it fail?"}, {"role": "assistant", "content": "Revoke it first."}]}',
      ],
    },
    since: "0.2.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      // Most lines hold no credential: one test of the whole text, then the strings one by one. On a line's Latin-1
      // view, strings are decoded before the scan (a PEM body may hold non-ASCII white space); a finding makes the
      // engine judge the line again, decoded, where it is reported.
      if (!mayHoldCredential(ctx.text)) return;
      reportFoundInStrings(ctx, report, 20, ctx.latin1 ? (s) => findCredentials(decodeView(s, true)) : findCredentials);
    },
    parseError(ctx, report) {
      for (const f of findCredentials(ctx.text)) {
        report({ messageId: "found", pointer: "", column: f.index + 1, data: { label: f.label, kind: f.kind, masked: f.masked } });
      }
    },
  }),
});
