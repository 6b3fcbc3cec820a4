/** The template preview's renderer: a small Jinja2 subset (exported for unit tests). */

const SYSTEM_DEFAULTS: Record<string, string> = {
  name: "there",
  company: "our company",
  assistant_name: "your assistant",
};

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[^a-z0-9'])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

function phoneFormat(s: string): string {
  const d = s.replace(/\D/g, "");
  const us = d.length === 11 && d.startsWith("1") ? d.slice(1) : d.length === 10 ? d : undefined;
  // emulator guess: US numbers as (555) 123-4567, anything else unchanged.
  return us ? `(${us.slice(0, 3)}) ${us.slice(3, 6)}-${us.slice(6)}` : s;
}

function pythonStr(v: unknown): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}

/**
 * A small Jinja2 subset: `{{ var }}`, `{{ var | filter }}` with upper, lower, title, title_case,
 * phone_format, default('x'). Unknown variables render empty (Jinja's Undefined).
 */
export function renderTemplate(
  template: string,
  variables: Record<string, unknown>,
): { ok: true; text: string } | { ok: false; error: string } {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{{", i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf("}}", open + 2);
    if (close < 0)
      return { ok: false, error: "unexpected end of template, expected 'end of print statement'." };
    const expr = template.slice(open + 2, close).trim();
    const [head, ...filters] = expr.split("|").map((p) => p.trim());
    if (!head) return { ok: false, error: "Expected an expression, got 'end of print statement'" };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(head)) return { ok: false, error: `unexpected '${head[0]}'` };
    const given = Object.prototype.hasOwnProperty.call(variables, head);
    const known = given || head in SYSTEM_DEFAULTS;
    // emulator guess: an unknown variable renders empty (Jinja's default Undefined); `{% … %}` blocks
    // are not supported and pass through literally.
    let value: string | undefined = given ? pythonStr(variables[head]) : SYSTEM_DEFAULTS[head];
    for (const f of filters) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/.exec(f);
      if (!m) return { ok: false, error: `unexpected '${f[0] ?? "|"}'` };
      const [, fname, args] = m;
      if (fname === "upper") value = (value ?? "").toUpperCase();
      else if (fname === "lower") value = (value ?? "").toLowerCase();
      else if (fname === "title" || fname === "title_case") value = titleCase(value ?? "");
      else if (fname === "phone_format") value = phoneFormat(value ?? "");
      else if (fname === "default" || fname === "d") {
        if (!known) {
          const a = /^\s*(['"])(.*)\1\s*$/.exec(args ?? "");
          value = a ? a[2] : (args ?? "").trim();
        }
      } else return { ok: false, error: `No filter named '${fname}'.` };
    }
    out += value ?? "";
    i = close + 2;
  }
  return { ok: true, text: out };
}
