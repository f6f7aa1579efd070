// Delays calls to `fn` until `wait` ms have passed without another call.
function debounce(fn, wait) {
  let timer = null;
  return function (...args) {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn.apply(this, args);
    }, wait);
  };
}

const countWords = (text) => text.split(/\s+/).filter((w) => w.length > 0).length;

module.exports = { debounce, countWords };
