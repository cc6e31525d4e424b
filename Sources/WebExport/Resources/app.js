// mhalearn's exported course: poses questions and draws the grader's answers. Every answer is
// read and graded by grader.wasm (the Grading module, compiled with Embedded Swift); this script
// only passes strings in and out, keeps progress in localStorage and draws.
'use strict';
(function () {
  var STORE = 'mhalearn-progress';

  function emptyProgress() { return { format: 'mhalearn-progress', version: 1, results: [], lessons: [] }; }
  function loadProgress() {
    try {
      var value = JSON.parse(window.localStorage.getItem(STORE) || 'null');
      if (value && value.format === 'mhalearn-progress' && Array.isArray(value.results) && Array.isArray(value.lessons)) return value;
    } catch (e) { /* a damaged record starts afresh rather than breaking the page */ }
    return emptyProgress();
  }
  function saveProgress(progress) {
    try { window.localStorage.setItem(STORE, JSON.stringify(progress)); return true; } catch (e) { return false; }
  }

  // The grader: grader.js holds the module's bytes (base64), so the page works from file://.
  var graderReady = null;
  function grader() {
    if (graderReady) return graderReady;
    var text = window.atob(window.MHALEARN_GRADER || '');
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    graderReady = WebAssembly.instantiate(bytes, {}).then(function (made) { return made.instance.exports; });
    return graderReady;
  }
  var encoder = new TextEncoder(), decoder = new TextDecoder();
  function put(exports, text) {
    var bytes = encoder.encode(text);
    var pointer = exports.grader_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, pointer, bytes.length).set(bytes);
    return [pointer, bytes.length];
  }
  /** Grades `answer` against `key` (KeyCoding text): {outcome, score, feedback, matchedWrong}. */
  function grade(key, answer) {
    return grader().then(function (exports) {
      var k = put(exports, key), a = put(exports, answer);
      var result = exports.grader_grade(k[0], k[1], a[0], a[1]);
      exports.grader_free(k[0]); exports.grader_free(a[0]);
      var length = new DataView(exports.memory.buffer).getUint32(result, true);
      var json = decoder.decode(new Uint8Array(exports.memory.buffer, result + 4, length));
      exports.grader_free(result);
      return JSON.parse(json);
    });
  }
  window.mhalearnGrade = grade;

  // Feedback is plain text with `code` spans, drawn as text nodes (never as HTML).
  function paragraph(text, className) {
    var p = document.createElement('p');
    if (className) p.className = className;
    String(text).split('`').forEach(function (piece, index) {
      if (index % 2 === 1) { var code = document.createElement('code'); code.textContent = piece; p.appendChild(code); }
      else if (piece) p.appendChild(document.createTextNode(piece));
    });
    return p;
  }

  function lastResult(progress, exercise, seed) {
    for (var i = progress.results.length - 1; i >= 0; i--) {
      var r = progress.results[i];
      if (r.exercise === exercise && (seed === undefined || r.seed === seed)) return r;
    }
    return null;
  }

  function setupQuestion(section) {
    var variants = JSON.parse(section.querySelector('script.variants').textContent);
    var exercise = section.getAttribute('data-exercise');
    var maxAttempts = parseInt(section.getAttribute('data-attempts'), 10) || 3;
    var set = (document.querySelector('[data-set]') || {}).getAttribute ? (document.querySelector('[data-set]') || section).getAttribute('data-set') : null;
    var form = section.querySelector('form'), input = form.querySelector('input');
    var feedback = section.querySelector('.feedback'), hints = section.querySelector('.hints');
    var prompt = section.querySelector('.prompt'), reveal = section.querySelector('details.reveal');
    var staticHints = section.querySelector('details.static-hints');
    if (staticHints) staticHints.remove();
    var status = document.createElement('p');
    status.className = 'status';
    section.insertBefore(status, form);
    form.hidden = false;
    var index = 0, used = 0, hintsShown = 0, done = false, lastScore = 0;

    function showStatus() {
      var previous = lastResult(loadProgress(), exercise, variants[index].seed);
      status.textContent = previous ? 'Answered before: ' + previous.outcome + ' (' + new Date(previous.at).toLocaleString() + ').' : '';
    }
    function show(i) {
      index = i; used = 0; hintsShown = 0; done = false; lastScore = 0;
      var variant = variants[index];
      prompt.innerHTML = variant.prompt;
      reveal.innerHTML = '<summary>Answer and explanation</summary>' + variant.reveal;
      reveal.open = false; reveal.hidden = true;
      feedback.textContent = ''; hints.textContent = '';
      input.value = ''; input.disabled = false;
      form.querySelector('button[type=submit]').disabled = false;
      showStatus();
    }
    function finish(outcome) {
      done = true;
      input.disabled = true;
      form.querySelector('button[type=submit]').disabled = true;
      reveal.hidden = false; reveal.open = true;
      var progress = loadProgress();
      progress.results.push({ exercise: exercise, set: set, seed: variants[index].seed, outcome: outcome,
        score: outcome === 'correct' ? 1 : (outcome === 'partial' ? lastScore : 0), attempts: used, hints: hintsShown,
        at: new Date().toISOString() });
      if (!saveProgress(progress)) feedback.appendChild(paragraph('This browser would not keep your progress (storage is full or blocked).', 'note'));
      showStatus();
      renderDue();
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (done) return;
      var answer = input.value;
      grade(variants[index].key, answer).then(function (result) {
        feedback.textContent = '';
        if (result.error) { feedback.appendChild(paragraph(result.error, 'wrong')); return; }
        var kind = result.outcome === 'correct' ? 'correct' : (result.outcome === 'unreadable' ? 'unreadable' : 'wrong');
        result.feedback.forEach(function (line) { feedback.appendChild(paragraph(line, kind)); });
        if (result.outcome === 'unreadable') { feedback.appendChild(paragraph('That did not use an attempt.', 'note')); return; }
        used += 1; lastScore = result.score;
        if (result.outcome === 'correct') { finish('correct'); return; }
        if (used >= maxAttempts) { finish(lastScore > 0 ? 'partial' : 'wrong'); return; }
        var left = maxAttempts - used;
        var offer = hintsShown < variants[index].hints.length ? 'Ask for a hint, or show the answer.' : 'No hints are left.';
        feedback.appendChild(paragraph(left + ' attempt' + (left === 1 ? '' : 's') + ' left. ' + offer, 'note'));
        input.focus();
      });
    });
    section.querySelector('button.hint').addEventListener('click', function () {
      var list = variants[index].hints;
      if (hintsShown >= list.length) { hints.appendChild(paragraph('No more hints.', 'note')); return; }
      var div = document.createElement('div');
      div.className = 'hint';
      div.innerHTML = '<p><strong>Hint ' + (hintsShown + 1) + ' of ' + list.length + '</strong></p>' + list[hintsShown];
      hints.appendChild(div);
      hintsShown += 1;
    });
    section.querySelector('button.skip').addEventListener('click', function () { if (!done) finish('skipped'); });
    var another = section.querySelector('button.another');
    if (another) another.addEventListener('click', function () { show((index + 1) % variants.length); input.focus(); });
    show(0);
  }

  function renderDue() {
    var due = document.getElementById('due');
    if (!due) return;
    var progress = loadProgress();
    var latest = {};
    progress.results.forEach(function (r) { latest[r.exercise] = r; });
    var names = Object.keys(latest);
    due.textContent = '';
    if (names.length === 0) { due.appendChild(paragraph('Nothing answered yet in this browser: start with the first lesson.')); return; }
    var right = names.filter(function (n) { return latest[n].outcome === 'correct'; }).length;
    due.appendChild(paragraph(names.length + ' question' + (names.length === 1 ? '' : 's') + ' answered in this browser, ' + right + ' right the last time.'));
    var again = names.filter(function (n) { return latest[n].outcome !== 'correct'; });
    if (again.length) {
      due.appendChild(paragraph('Due again: ' + again.join(', ') + '.'));
    }
  }

  function setupProgressFile() {
    var download = document.getElementById('download-progress');
    var upload = document.getElementById('import-progress');
    if (download) {
      download.hidden = false;
      download.addEventListener('click', function () {
        var blob = new Blob([JSON.stringify(loadProgress(), null, 2)], { type: 'application/json' });
        var link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = 'mhalearn-progress.json';
        document.body.appendChild(link); link.click(); link.remove();
      });
    }
    if (upload) {
      document.getElementById('import-label').hidden = false;
      upload.addEventListener('change', function () {
        var file = upload.files && upload.files[0];
        if (!file) return;
        file.text().then(function (text) {
          var incoming = JSON.parse(text);
          if (!incoming || incoming.format !== 'mhalearn-progress' || !Array.isArray(incoming.results)) throw new Error('not a progress file');
          var progress = loadProgress();
          var seen = {};
          progress.results.forEach(function (r) { seen[r.exercise + '|' + r.seed + '|' + r.at] = true; });
          incoming.results.forEach(function (r) { if (!seen[r.exercise + '|' + r.seed + '|' + r.at]) progress.results.push(r); });
          progress.results.sort(function (a, b) { return a.at < b.at ? -1 : (a.at > b.at ? 1 : 0); });
          saveProgress(progress);
          renderDue();
        }).catch(function () {
          var due = document.getElementById('due');
          due.appendChild(paragraph('That file is not an mhalearn progress file (from `mhalearn progress --export FILE` or this page).', 'wrong'));
        });
      });
    }
  }

  function markLessonRead() {
    var lesson = document.querySelector('article.lesson');
    if (!lesson) return;
    var name = lesson.getAttribute('data-lesson');
    var progress = loadProgress();
    if (!progress.lessons.some(function (l) { return l.name === name; })) {
      progress.lessons.push({ name: name, at: new Date().toISOString() });
      saveProgress(progress);
    }
  }

  function start() {
    var started = window.performance ? performance.now() : 0;
    Array.prototype.forEach.call(document.querySelectorAll('section.question'), setupQuestion);
    renderDue();
    setupProgressFile();
    markLessonRead();
    document.documentElement.setAttribute('data-ready', String(Math.round((window.performance ? performance.now() : 0) - started)));
    grader().then(function () { document.documentElement.setAttribute('data-grader', 'ready'); },
      function (error) { document.documentElement.setAttribute('data-grader', 'failed: ' + error); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
