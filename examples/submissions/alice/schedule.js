// Exercise 3: room booking. Alice's submission.

function parseSlot(text) {
  const [day, range] = text.trim().split(' ');
  const [from, to] = range.split('-').map((t) => {
    const [h, m] = t.split(':').map(Number);
    return h * 60 + m;
  });
  return { day, from, to };
}

function findClashes(bookings) {
  const byDay = new Map();
  for (const b of bookings) {
    const slot = parseSlot(b.when);
    if (!byDay.has(slot.day)) byDay.set(slot.day, []);
    byDay.get(slot.day).push({ ...slot, who: b.who });
  }
  const clashes = [];
  for (const [day, slots] of byDay) {
    slots.sort((x, y) => x.from - y.from);
    for (let i = 1; i < slots.length; i++) {
      if (slots[i].from < slots[i - 1].to) {
        clashes.push(`${day}: ${slots[i - 1].who} and ${slots[i].who}`);
      }
    }
  }
  return clashes;
}

function busiestDay(bookings) {
  const minutes = {};
  for (const b of bookings) {
    const s = parseSlot(b.when);
    minutes[s.day] = (minutes[s.day] || 0) + (s.to - s.from);
  }
  let best = null;
  for (const day of Object.keys(minutes)) {
    if (best === null || minutes[day] > minutes[best]) best = day;
  }
  return best;
}

module.exports = { parseSlot, findClashes, busiestDay };
