// Stands in for VS Code inside the test host page: acquireVsCodeApi (messages recorded in
// window.__posted, state kept in sessionStorage so a reload restores it) and the theme (body class
// plus a stylesheet of --vscode-* variables, as VS Code injects them).
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var theme = params.get('theme') || 'light';
  var posted = [];
  var postedAt = [];
  window.__posted = posted;
  window.__postedAt = postedAt; // performance.now() of each, for the render benchmark
  var acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      postMessage: function (m) { posted.push(JSON.parse(JSON.stringify(m))); postedAt.push(performance.now()); },
      getState: function () { var s = sessionStorage.getItem('co-state'); return s ? JSON.parse(s) : undefined; },
      setState: function (s) { sessionStorage.setItem('co-state', JSON.stringify(s)); },
    };
  };
  var link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/host/theme-' + theme + '.css';
  document.head.appendChild(link);
  document.body.classList.add(theme === 'hc' ? 'vscode-high-contrast' : 'vscode-' + theme);
  document.body.setAttribute('data-vscode-theme-kind', theme === 'hc' ? 'vscode-high-contrast' : 'vscode-' + theme);
})();
