// The results screen: the match's final standings, named by the schema.

import type { pb, Schema } from "../../sdk/src/index.js";

/** renderResults fills table with results, the schema's result names as columns, the own line marked. */
export function renderResults(table: HTMLTableElement, results: pb.MatchResults, schema: Schema | null, myPlayerId: number): void {
  const cols = schema?.results.map((f) => f.name) ?? [];
  const head = document.createElement("tr");
  for (const name of ["#", "player", "score", ...cols]) head.append(cell("th", name));
  table.tHead!.replaceChildren(head);
  const rows = results.players.map((p, i) => {
    const tr = document.createElement("tr");
    if (p.playerId === myPlayerId) tr.className = "me";
    tr.append(cell("td", String(i + 1)), cell("td", p.name || `P${p.playerId}`), cell("td", String(p.score)));
    cols.forEach((_, k) => tr.append(cell("td", schema!.results[k].format(p.values[k] ?? 0))));
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}

function cell(tag: "td" | "th", text: string): HTMLElement {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}
