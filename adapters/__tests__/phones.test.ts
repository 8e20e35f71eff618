import { describe, expect, it } from 'vitest';
import { mayHoldPhone, parsePhone, phonesInText } from '../phones';

const found = (text: string) => phonesInText(text, 'US').map(p => p.phone);

describe('phonesInText', () => {
  it.each([
    ['(415) 555-0134', '+14155550134'],
    ['415-555-0003', '+14155550003'],
    ['+1 646 555 0006', '+16465550006'],
    ['312.555.0007', '+13125550007'],
    ['+1 (415) 555-9999', '+14155559999'],
    ['212 555 0188', '+12125550188'],
    ['Call (312) 555-0142 after lunch', '+13125550142'],
    ['+44 20 7946 0958', '+442079460958'],
    ['415.555.0134 ext. 12', '+14155550134'],
    ['Tel:4155550134', '+14155550134'],
    ['Caller ID 415 555 0134', '+14155550134'],
    ['Phone no. 415 555 0134', '+14155550134'],
    ['Updated 2025-03-12T09:41:00Z by 415 555 0134', '+14155550134'],
    ['ZIP 94105-1234 · (415) 555-0134', '+14155550134'],
  ])('finds %s', (text, e164) => {
    expect(found(text)).toEqual([e164]);
  });

  it('finds several numbers in one text with their offsets', () => {
    const text = 'Home 415-555-0134, work (212) 555-0188.';
    const hits = phonesInText(text, 'US');
    expect(hits.map(h => h.phone)).toEqual(['+14155550134', '+12125550188']);
    expect(text.slice(hits[1].start, hits[1].end)).toBe('(212) 555-0188');
  });

  it.each([
    ['an ISO date', 'Due 2025-03-12'],
    ['a date and time', 'Updated 2025-03-12 09:41'],
    ['a US date', 'Booked for 03/12/2025 10:30'],
    ['a price with separators', 'Balance $1,234,567.89'],
    ['a price without separators', 'Total $4155550134'],
    ['an amount with cents', 'Paid 4155550134.00 today'],
    ['an order number', 'Order #4155550134 shipped'],
    ['a ZIP+4 code', 'San Francisco, CA 94105-1234'],
    ['a long id', 'Record 1700000000000'],
    ['a short number', 'Ext. 555-0134'],
    ['an estimate number', 'estimate (#20250311)'],
    ['a European date and time', 'Termin 12.03.2025 14:00'],
    ['an ISO timestamp', '2025-03-12T09:41:07.123Z'],
    ['a date written out', 'Oct 12, 2025'],
    ['a compact date', 'Batch 20250312'],
    ['an amount with thousands separators', 'Pipeline 1,234,567,890'],
    ['an amount in a currency code', 'Deal 4155550134 USD'],
    ['a euro amount', '€ 415.555.0134'],
    ['a percentage', 'Growth 4155550134%'],
    ['an order number in words', 'Order 415-555-0134'],
    ['an invoice number', 'Invoice #: 415 555 0134'],
    ['an invoice code', 'INV-4155550134'],
    ['a SKU', 'SKU 415-555-0134-X'],
    ['an id', 'ID: 4155550134'],
    ['a reference', 'Ref. 4155550134'],
    ['a ticket', 'Ticket no. 415 555 0134'],
    ['a ZIP+4 alone', '94105-1234'],
    ['an IPv4 address', 'Last seen from 192.168.100.200'],
    ['an IPv4-like run', 'host 10.212.555.134'],
    ['an IPv6 address', 'host 2001:db8::ff00:42:8329'],
  ])('ignores %s', (_what, text) => {
    expect(found(text)).toEqual([]);
  });

  it('keeps both numbers of a comma-separated list', () => {
    expect(found('415-555-0134,212-555-0188')).toEqual(['+14155550134', '+12125550188']);
    expect(found('Phones: 415-555-0134, 212-555-0188')).toEqual(['+14155550134', '+12125550188']);
  });

  it('gives the whole match, extension included, as the display span', () => {
    const text = 'Reach me at 415.555.0134 ext. 12 today';
    const [hit] = phonesInText(text, 'US');
    expect(text.slice(hit.start, hit.end)).toBe('415.555.0134 ext. 12');
  });

  it('uses the default country for national numbers', () => {
    expect(phonesInText('020 7946 0958', 'GB').map(p => p.phone)).toEqual(['+442079460958']);
    expect(phonesInText('020 7946 0958', 'US')).toEqual([]);
  });

  it('remembers a text that holds no phone per country only: the same text read in another country still finds one', () => {
    const text = 'Desk: 020 7946 0958';
    expect(phonesInText(text, 'US')).toEqual([]);
    expect(phonesInText(text, 'US')).toEqual([]);
    expect(phonesInText(text, 'GB').map(p => p.phone)).toEqual(['+442079460958']);
    expect(phonesInText(text, 'GB').map(p => p.phone)).toEqual(['+442079460958']);
  });
});

describe('parsePhone', () => {
  it('reads tel: links and phone field values', () => {
    expect(parsePhone('tel:+14155550134', 'US')).toBe('+14155550134');
    expect(parsePhone('tel:%2B1%20415%20555%200134', 'US')).toBe('+14155550134');
    expect(parsePhone('  (415) 555-0134 ', 'US')).toBe('+14155550134');
  });

  it('refuses what is not one valid number', () => {
    expect(parsePhone('', 'US')).toBeNull();
    expect(parsePhone('555-0134', 'US')).toBeNull();
    expect(parsePhone('call me', 'US')).toBeNull();
    expect(parsePhone('+1 000 000 0000', 'US')).toBeNull();
  });

  it('remembers what it parsed per country: the same text under another default country is parsed again', () => {
    for (let round = 0; round < 2; round++) {
      expect(parsePhone('020 7946 0958', 'GB')).toBe('+442079460958');
      expect(parsePhone('020 7946 0958', 'US')).toBeNull();
      expect(phonesInText('(415) 555-0134', 'US').map(p => p.phone)).toEqual(['+14155550134']);
      expect(phonesInText('(415) 555-0134', 'GB')).toEqual([]);
      expect(phonesInText('  (415) 555-0134', 'US')).toEqual([{ phone: '+14155550134', start: 2, end: 16 }]);
    }
  });
});

describe('mayHoldPhone', () => {
  it('lets through only text that can hold 7 digits outside dates and times', () => {
    expect(mayHoldPhone('(415) 555-0134')).toBe(true);
    expect(mayHoldPhone('2025-03-12 09:41')).toBe(false);
    expect(mayHoldPhone('Hello world')).toBe(false);
  });
});
