import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../csv';

describe('csv', () => {
  it('quotes cells with commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Carter, James')).toBe('"Carter, James"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('writes empty cells for null and undefined, numbers and booleans as they are', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(false)).toBe('false');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+14155550134')).toBe("'+14155550134");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('joins rows with CRLF and ends with one', () => {
    expect(toCsv(['name', 'phone'], [['Maria', '+1415'], ['Tom, Jr.', null]])).toBe("name,phone\r\nMaria,'+1415\r\n\"Tom, Jr.\",\r\n");
  });
});
