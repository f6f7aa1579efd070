// Exercise 3: room booking. Bob's submission.

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

function toMinutes(clock) {
  const parts = clock.split(':');
  return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
}

function readBooking(line) {
  const words = line.trim().split(' ');
  const ends = words[1].split('-');
  return { day: words[0], start: toMinutes(ends[0]), end: toMinutes(ends[1]) };
}

function overlaps(entries) {
  const perDay = new Map();
  for (const e of entries) {
    const slot = readBooking(e.when);
    if (!perDay.has(slot.day)) perDay.set(slot.day, []);
    perDay.get(slot.day).push({ ...slot, owner: e.who });
  }
  const found = [];
  for (const [weekday, list] of perDay) {
    list.sort((p, q) => p.start - q.start);
    for (let k = 1; k < list.length; k++) {
      if (list[k].start < list[k - 1].end) {
        found.push(`${weekday}: ${list[k - 1].owner} and ${list[k].owner}`);
      }
    }
  }
  return found;
}

function freeHours(entries, day) {
  if (!DAYS.includes(day)) throw new Error(`unknown day ${day}`);
  const taken = entries.map((e) => readBooking(e.when)).filter((s) => s.day === day);
  let free = 10 * 60;
  for (const s of taken) free -= s.end - s.start;
  return Math.max(0, free) / 60;
}

function mostBooked(entries) {
  const total = {};
  for (const e of entries) {
    const b = readBooking(e.when);
    total[b.day] = (total[b.day] || 0) + (b.end - b.start);
  }
  let top = null;
  for (const d of Object.keys(total)) {
    if (top === null || total[d] > total[top]) top = d;
  }
  return top;
}

module.exports = { readBooking, overlaps, freeHours, mostBooked };
