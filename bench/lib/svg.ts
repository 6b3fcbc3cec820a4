/**
 * A small hand-written SVG line chart (no charting dependency): wall time against N, both axes on
 * a log scale, one line per platform and phase, plus Woodpecker's one-request-at-a-time limit as
 * dashed lines (the fastest its API allows for the calls the provider made).
 */
import type { BenchResults } from "./report";

interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<{ n: number; seconds: number }>;
}

const W = 760;
const H = 460;
const M = { left: 70, right: 230, top: 48, bottom: 58 };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function fmtSeconds(s: number): string {
  if (s >= 1) return `${Number(s.toPrecision(3))} s`;
  return `${Number((s * 1000).toPrecision(3))} ms`;
}

function decadeTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) ticks.push(10 ** e);
  return ticks;
}

export function seriesOf(results: BenchResults): Series[] {
  const runs = [...results.runs].sort((a, b) => a.n - b.n);
  const pick = (platform: string, f: (r: (typeof runs)[number]) => number | undefined) =>
    runs
      .filter((r) => r.platform === platform)
      .map((r) => ({ n: r.n, seconds: (f(r) ?? NaN) / 1000 }))
      .filter((p) => Number.isFinite(p.seconds) && p.seconds > 0);
  const upLimit = pick("woodpecker", (r) => r.up.limitMs);
  const destroyLimit = pick("woodpecker", (r) => r.destroy.limitMs);
  const sameLimit = JSON.stringify(upLimit) === JSON.stringify(destroyLimit);
  const limits: Series[] = sameLimit
    ? [{ label: "Woodpecker limit", color: "#7f7f7f", dashed: true, points: upLimit }]
    : [
        { label: "Woodpecker up limit", color: "#d62728", dashed: true, points: upLimit },
        { label: "Woodpecker destroy limit", color: "#ff7f0e", dashed: true, points: destroyLimit },
      ];
  return [
    { label: "Burki up", color: "#1f77b4", points: pick("burki", (r) => r.up.wallMs) },
    { label: "Burki destroy", color: "#17becf", points: pick("burki", (r) => r.destroy.wallMs) },
    { label: "Woodpecker up", color: "#d62728", points: pick("woodpecker", (r) => r.up.wallMs) },
    { label: "Woodpecker destroy", color: "#ff7f0e", points: pick("woodpecker", (r) => r.destroy.wallMs) },
    ...limits,
  ].filter((s) => s.points.length > 0);
}

export function wallTimeSvg(results: BenchResults): string {
  const series = seriesOf(results);
  const ns = series.flatMap((s) => s.points.map((p) => p.n));
  const ys = series.flatMap((s) => s.points.map((p) => p.seconds));
  const nLo = 10 ** Math.floor(Math.log10(Math.min(...ns, 10)));
  const nHi = Math.max(10 ** Math.ceil(Math.log10(Math.max(...ns, 10))), nLo * 10);
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...ys, 1)));
  const yHi = Math.max(10 ** Math.ceil(Math.log10(Math.max(...ys, 1))), yLo * 10);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (n: number) =>
    M.left + ((Math.log10(n) - Math.log10(nLo)) / (Math.log10(nHi) - Math.log10(nLo))) * pw;
  const y = (s: number) =>
    M.top + ph - ((Math.log10(s) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * ph;
  const r1 = (v: number) => v.toFixed(1);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  const s = results.settings;
  out.push(
    `<text x="${M.left}" y="22" font-size="15" font-weight="600">Wall time of up and destroy against N (log–log)</text>`,
  );
  out.push(
    `<text x="${M.left}" y="38" fill="#555">${esc(
      `${s.latencyMs} ms service time per request, ${s.parallel} operations in parallel, ${results.mode} run ${results.startedAt.slice(0, 10)}`,
    )}</text>`,
  );
  // Grid and ticks.
  for (const t of decadeTicks(nLo, nHi)) {
    out.push(`<line x1="${r1(x(t))}" y1="${M.top}" x2="${r1(x(t))}" y2="${M.top + ph}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${r1(x(t))}" y="${M.top + ph + 18}" text-anchor="middle">${t.toLocaleString("en-US")}</text>`,
    );
  }
  for (const t of decadeTicks(yLo, yHi)) {
    out.push(`<line x1="${M.left}" y1="${r1(y(t))}" x2="${M.left + pw}" y2="${r1(y(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${r1(y(t) + 4)}" text-anchor="end">${esc(fmtSeconds(t))}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  out.push(
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">N (campaigns per platform, log scale)</text>`,
  );
  out.push(
    `<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">wall time (log scale)</text>`,
  );
  // Lines and points.
  for (const se of series) {
    const pts = se.points.map((p) => `${r1(x(p.n))},${r1(y(p.seconds))}`).join(" ");
    out.push(
      `<polyline points="${pts}" fill="none" stroke="${se.color}" stroke-width="${se.dashed ? 1.5 : 2.2}"` +
        (se.dashed ? ` stroke-dasharray="6 4"` : "") +
        `/>`,
    );
    if (!se.dashed) {
      for (const p of se.points) {
        out.push(
          `<circle cx="${r1(x(p.n))}" cy="${r1(y(p.seconds))}" r="3.5" fill="${se.color}">` +
            `<title>${esc(`${se.label}, N=${p.n}: ${fmtSeconds(p.seconds)}`)}</title></circle>`,
        );
      }
    }
  }
  // Legend.
  const lx = M.left + pw + 18;
  series.forEach((se, i) => {
    const ly = M.top + 10 + i * 22;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="${se.color}" stroke-width="${se.dashed ? 1.5 : 2.2}"` +
        (se.dashed ? ` stroke-dasharray="6 4"` : "") +
        `/>`,
    );
    out.push(`<text x="${lx + 34}" y="${ly + 4}">${esc(se.label)}</text>`);
  });
  const noteY = M.top + 10 + series.length * 22 + 8;
  out.push(
    `<text x="${lx}" y="${noteY}" fill="#555" font-size="11">limit = calls × service time:</text>`,
    `<text x="${lx}" y="${noteY + 14}" fill="#555" font-size="11">Woodpecker runs one request</text>`,
    `<text x="${lx}" y="${noteY + 28}" fill="#555" font-size="11">at a time per account${
      series.some((x) => x.label === "Woodpecker limit") ? " (the same" : ""
    }</text>`,
    ...(series.some((x) => x.label === "Woodpecker limit")
      ? [`<text x="${lx}" y="${noteY + 42}" fill="#555" font-size="11">for up and destroy here)</text>`]
      : []),
  );
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
