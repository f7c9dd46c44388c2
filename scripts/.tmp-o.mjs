import { ChatTemplate } from "../dist/tokens/jinja.js";
const r = (s, extra) => { try { return JSON.stringify(new ChatTemplate(s).render({ messages: [], addGenerationPrompt: false, bosToken: null, eosToken: null, extra })); } catch (e) { return "ERR " + e.message; } };
console.log(r("[{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}|{{ g }}]", { a: null, b: true, c: false, d: 1.5, e: [1, "x"], f: { k: "v" }, g: undefined }));
