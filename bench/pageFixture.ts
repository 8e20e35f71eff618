// A HubSpot contacts index of N rows, in the markup of adapters/__fixtures__/hubspot-list.html (the row
// shape public material shows): what the page benchmark and the real-browser CRM tests load.

const AREAS = ['415', '212', '312', '646', '617', '303'];
const FIRST = ['Maria', 'James', 'Priya', 'Tom', 'Olivia', 'Noah', 'Emma', 'Liam', 'Ava', 'Lucas', 'Mia', 'Ethan'];
const LAST = ['Lopez', 'Carter', 'Shah', 'Becker', 'Chen', 'Williams', 'Johnson', 'Garcia', 'Nguyen', 'Kim', 'Patel', 'Rossi'];
const OWNERS = ['Ben Brooks', 'Sue Sato', 'Ana Alvarez'];

/** The phone of row `i`, as E.164 and as the page shows it. Unique for the first 54,000 rows. */
export function rowPhone(i: number): { e164: string; display: string } {
  const area = AREAS[i % AREAS.length];
  const line = String(1000 + (Math.floor(i / AREAS.length) % 9000)).padStart(4, '0');
  return { e164: `+1${area}555${line}`, display: `(${area}) 555-${line}` };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function rowHtml(i: number, name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`): string {
  const id = 1000 + i;
  const { display } = rowPhone(i);
  const day = String(1 + (i % 28)).padStart(2, '0');
  const cell = (col: number, html: string) => `<td data-column-index="${col}" data-table-external-id="cell-${col}-${id}">${html}</td>`;
  const truncated = (html: string) => `<div class="private-truncated-string"><span class="private-truncated-string__inner">${html}</span></div>`;
  return `<tr data-test-id="row-${id}"><td><input type="checkbox" aria-label="Select ${esc(name)}"></td>`
    + cell(0, `<div class="private-truncated-string"><a data-link href="/contacts/4234567/record/0-1/${id}"><span class="private-truncated-string__inner">${esc(name)}</span></a></div>`)
    + cell(1, truncated(`contact${i}@example.com`))
    + cell(2, truncated(display))
    + cell(3, OWNERS[i % OWNERS.length])
    + cell(4, `Company ${i % 97}`)
    + cell(5, `2025-03-${day} 09:${String(i % 60).padStart(2, '0')}`)
    + cell(6, `03/${day}/2025`)
    + '</tr>';
}

export const LIST_PATH = '/contacts/4234567/objects/0-1/views/all/list';

/** The whole page. `rows` rows in the HTML; the page appends more when `infinite` rows are asked for on scroll. */
export function hubspotListHtml(opts: { rows: number; title?: string; script?: string }): string {
  const rows: string[] = [];
  for (let i = 0; i < opts.rows; i++) rows.push(rowHtml(i));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(opts.title ?? 'Contacts | HubSpot')}</title>
<style>
  body { margin: 0; font: 14px/1.4 -apple-system, "Segoe UI", Roboto, sans-serif; color: #33475b; }
  header { position: sticky; top: 0; background: #fff; padding: 12px 16px; border-bottom: 1px solid #dfe3eb; z-index: 2; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #eaf0f6; white-space: nowrap; }
  th { background: #f5f8fa; position: sticky; top: 49px; }
  .private-truncated-string { display: inline-block; max-width: 220px; vertical-align: middle; }
  .private-truncated-string__inner { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
</style>
</head><body>
<header><strong>Contacts</strong> <span id="count">${opts.rows} records</span></header>
<div data-test-id="index-page">
<table data-test-id="framework-data-table" role="grid">
<thead><tr><th><input type="checkbox" aria-label="Select all"></th><th data-column-index="0">Name</th><th data-column-index="1">Email</th><th data-column-index="2">Phone Number</th><th data-column-index="3">Contact owner</th><th data-column-index="4">Primary company</th><th data-column-index="5">Last activity date (EDT)</th><th data-column-index="6">Create date (EDT)</th></tr></thead>
<tbody id="rows">
${rows.join('\n')}
</tbody></table></div>
${opts.script ? `<script>${opts.script}</script>` : ''}
</body></html>`;
}
