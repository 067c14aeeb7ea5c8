// The inline CSS and JavaScript of AttentionPage. Plain ES2017 with no libraries: it decodes the
// √p-quantised probabilities, draws the lines and matrix views on canvases, shades tokens in the
// text view, fills the focus panel, and keeps the state in the URL fragment
// (#layer=L&head=H|mean&view=lines|matrix|text&token=I&show=p|dp|ds). Colours come from the
// page's data (ColorScale's anchors), so SVG and HTML agree.
// Not handled: browsers without canvas or atob (anything older than about 2012).

enum AttentionPageAssets {
    static let style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 16px 24px; color: #1a1a1a; background: #fff; }
        h1 { font-size: 20px; margin: 0 0 4px 0; }
        h2 { font-size: 16px; margin: 18px 0 4px 0; }
        .source { font-size: 15px; margin: 4px 0; }
        .facts, .hint, footer { color: #555; font-size: 13px; margin: 4px 0; }
        nav { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; padding: 8px 0; border-bottom: 1px solid #ddd; }
        nav label { font-size: 14px; }
        nav select, nav button { font-size: 14px; }
        .views button { border: 1px solid #999; background: #f4f4f4; padding: 3px 10px; cursor: pointer; }
        .views button.active { background: #0c2461; color: #fff; border-color: #0c2461; }
        #status { font-size: 13px; color: #333; margin: 6px 0; }
        main { display: flex; gap: 18px; align-items: flex-start; }
        #views { flex: 1 1 auto; min-width: 0; }
        .view { display: none; }
        .view.shown { display: block; }
        .scroll { max-height: 68vh; overflow: auto; border: 1px solid #e2e2e2; }
        .lines { display: flex; align-items: flex-start; padding: 6px; }
        .column { display: flex; flex-direction: column; }
        .column.queries { text-align: right; }
        .column .token { height: 20px; line-height: 20px; font-size: 13px; padding: 0 6px; white-space: nowrap; cursor: pointer; border-radius: 3px; }
        #text-tokens { padding: 10px; line-height: 2.1; font-size: 15px; }
        #text-tokens .token { padding: 2px 3px; border-radius: 3px; cursor: pointer; }
        .token.focused { outline: 2px solid #c2410c; }
        .token.masked-token { color: #c2410c; font-weight: bold; }
        .token.light { color: #fff; }
        #focus { flex: 0 0 260px; font-size: 13px; border-left: 1px solid #ddd; padding-left: 12px; }
        #focus table { border-collapse: collapse; width: 100%; }
        #focus td { padding: 1px 4px; white-space: nowrap; }
        #focus .bar { display: inline-block; height: 10px; background: #2c65ac; vertical-align: middle; }
        .legend { display: flex; align-items: center; gap: 6px; font-size: 12px; margin: 6px 0; }
        #legend-bar { display: inline-block; width: 220px; height: 12px; border: 1px solid #999; }
        #entropy { border-collapse: collapse; font-size: 13px; }
        #entropy th, #entropy td { border: 1px solid #ccc; padding: 4px 10px; text-align: center; }
        #entropy td { cursor: pointer; }
        #entropy td.current { outline: 3px solid #c2410c; outline-offset: -3px; }
        code { background: #f3f3f3; padding: 0 3px; }
        """

    static let script = #"""
        (function () {
          'use strict';
          var data = JSON.parse(document.getElementById('attention-data').textContent);
          var T = data.tokens, L = data.layers, H = data.heads;
          function bytesOf(base64) {
            var text = atob(base64), bytes = new Uint8Array(text.length);
            for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
            return bytes;
          }
          // Probabilities were stored as round(√p · 65535) (or · 255): square to undo.
          var P = new Float32Array(L * H * T * T);
          (function () {
            var bytes = bytesOf(data.probabilities), i, q;
            if (data.encoding === 'sqrt-u16le') {
              for (i = 0; i < P.length; i++) { q = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) / 65535; P[i] = q * q; }
            } else {
              for (i = 0; i < P.length; i++) { q = bytes[i] / 255; P[i] = q * q; }
            }
          })();
          function floatsOf(base64) {
            if (!base64) return null;
            var bytes = bytesOf(base64);
            return new Float32Array(bytes.buffer, 0, bytes.length / 4);
          }
          var gradients = { dp: floatsOf(data.gradP), ds: floatsOf(data.gradS) };
          var state = { layer: 0, head: '0', view: 'lines', token: null, hover: null, show: 'p', threshold: 0.02 };
          var cache = {};

          // MARK: data access
          function block(source, layer, head) { var n = T * T, start = (layer * H + head) * n; return source.subarray(start, start + n); }
          // kind: 'p' (probabilities), 'dp' or 'ds' (gradients); the mean over heads when head is 'mean'.
          function matrixOf(kind) {
            var source = kind === 'p' ? P : gradients[kind];
            var key = kind + ':' + state.layer + ':' + state.head;
            if (cache[key]) return cache[key];
            var result;
            if (state.head === 'mean') {
              result = new Float32Array(T * T);
              for (var h = 0; h < H; h++) { var b = block(source, state.layer, h); for (var i = 0; i < b.length; i++) result[i] += b[i] / H; }
            } else {
              result = block(source, state.layer, +state.head);
            }
            cache[key] = result;
            return result;
          }
          function matrix() { return matrixOf('p'); }
          function shown() { return matrixOf(signed() ? state.show : 'p'); }
          function signed() { return state.view === 'matrix' && state.show !== 'p' && !!gradients[state.show]; }

          // MARK: colours (ColorScale's anchors)
          function colour(anchors, t) {
            t = Math.max(0, Math.min(1, t));
            var u = 1;
            while (u < anchors.length - 1 && anchors[u][0] < t) u++;
            var a = anchors[u - 1], b = anchors[u], f = b[0] > a[0] ? (t - a[0]) / (b[0] - a[0]) : 0;
            f = Math.max(0, Math.min(1, f));
            return [0, 1, 2].map(function (c) { return Math.round(a[c + 1] + (b[c + 1] - a[c + 1]) * f); });
          }
          function css(rgb) { return 'rgb(' + rgb[0] + ',' + rgb[1] + ',' + rgb[2] + ')'; }
          function dark(rgb) { return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 140; }
          // Probabilities are shaded from 0 to the shown matrix's 99.5th percentile rounded up to 1, 2 or
          // 5 × 10ᵏ (at most 1), as AttentionHeatmap.probabilityScale does; the legend shows the top.
          function niceTop(m) {
            var sorted = Array.prototype.slice.call(m).sort(function (a, b) { return a - b; });
            var top = sorted[Math.floor((sorted.length - 1) * 0.995)];
            if (!(top > 0)) top = sorted[sorted.length - 1];
            if (!(top > 0)) return 1;
            var raw = top / 5, power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10)), f = raw / power;
            var step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
            return Math.min(1, Math.ceil(top / step - 1e-9) * step);
          }
          function scaleTop() { var m = matrix(), key = 'top:' + state.layer + ':' + state.head; if (!cache[key]) cache[key] = niceTop(m); return cache[key]; }
          function weightColour(p) { return colour(data.sequential, p / scaleTop()); }

          // MARK: state and URL fragment
          function readFragment() {
            var parts = location.hash.replace(/^#/, '').split('&');
            parts.forEach(function (part) {
              var pair = part.split('='), key = pair[0], value = decodeURIComponent(pair[1] || '');
              if (key === 'layer' && /^\d+$/.test(value) && +value < L) state.layer = +value;
              if (key === 'head' && (value === 'mean' || (/^\d+$/.test(value) && +value < H))) state.head = value;
              if (key === 'view' && ['lines', 'matrix', 'text'].indexOf(value) >= 0) state.view = value;
              if (key === 'token' && /^\d+$/.test(value) && +value < T) state.token = +value;
              if (key === 'show' && ['p', 'dp', 'ds'].indexOf(value) >= 0 && (value === 'p' || gradients[value])) state.show = value;
            });
          }
          function writeFragment() {
            var text = '#layer=' + state.layer + '&head=' + state.head + '&view=' + state.view +
              (state.token === null ? '' : '&token=' + state.token) + (state.show === 'p' ? '' : '&show=' + state.show);
            try { history.replaceState(null, '', text); } catch (e) { /* some file:// contexts refuse */ }
          }
          function focusToken() { return state.hover !== null ? state.hover : (state.token !== null ? { side: 'query', index: state.token } : null); }

          // MARK: rendering
          function render() {
            document.body.setAttribute('data-layer', state.layer);
            document.body.setAttribute('data-head', state.head);
            document.body.setAttribute('data-view', state.view);
            document.getElementById('layer').value = String(state.layer);
            document.getElementById('head').value = String(state.head);
            var show = document.getElementById('show');
            if (show) show.value = state.show;
            Array.prototype.forEach.call(document.querySelectorAll('.views button'), function (b) {
              b.className = b.getAttribute('data-view') === state.view ? 'active' : '';
            });
            ['lines', 'matrix', 'text'].forEach(function (v) {
              document.getElementById('view-' + v).className = 'view' + (v === state.view ? ' shown' : '');
            });
            Array.prototype.forEach.call(document.querySelectorAll('.entropy-cell'), function (c) {
              var current = +c.getAttribute('data-layer') === state.layer && c.getAttribute('data-head') === String(state.head);
              c.className = 'entropy-cell' + (current ? ' current' : '');
            });
            var status = 'layer ' + state.layer + ' · head ' + state.head + ' · ' + state.view + ' view';
            if (state.view === 'matrix' && state.show !== 'p') status += ' · ' + (state.show === 'dp' ? '∂L/∂P' : '∂L/∂S');
            var focus = focusToken();
            if (focus) status += ' · ' + (focus.side === 'key' ? 'attended to: ' : 'query: ') + data.labels[focus.index] + ' (' + focus.index + ')';
            document.getElementById('status').textContent = status;
            if (state.view === 'lines') drawLines();
            if (state.view === 'matrix') drawMatrix();
            updateLegend();
            shadeTokens();
            fillFocus();
            writeFragment();
          }

          function drawLines() {
            var canvas = document.getElementById('lines-canvas'), ratio = window.devicePixelRatio || 1;
            var width = 260, height = T * 20;
            canvas.width = width * ratio; canvas.height = height * ratio;
            canvas.style.width = width + 'px'; canvas.style.height = height + 'px';
            var g = canvas.getContext('2d');
            g.setTransform(ratio, 0, 0, ratio, 0, 0);
            g.clearRect(0, 0, width, height);
            var m = matrix(), focus = focusToken(), colourOf = state.head === 'mean' ? [60, 60, 60] : [44, 101, 172], top = scaleTop();
            g.lineWidth = 2;
            // Darkness is the weight on the legend's scale (as the tokens are shaded). Focused on one
            // token: only its lines, and always its top 10, drawn at least faintly.
            var tenth = Infinity, i, j, p;
            if (focus) {
              var weights = [];
              for (i = 0; i < T; i++) weights.push(focus.side === 'query' ? m[focus.index * T + i] : m[i * T + focus.index]);
              tenth = weights.slice().sort(function (a, b) { return b - a; })[Math.min(9, T - 1)];
            }
            for (i = 0; i < T; i++) {
              if (focus && focus.side === 'query' && focus.index !== i) continue;
              for (j = 0; j < T; j++) {
                if (focus && focus.side === 'key' && focus.index !== j) continue;
                p = m[i * T + j];
                if (p <= 0 || (p < state.threshold && !(focus && p >= tenth))) continue;
                var alpha = Math.min(1, p / top);
                if (focus && p >= tenth) alpha = Math.max(alpha, 0.15);
                g.strokeStyle = 'rgba(' + colourOf[0] + ',' + colourOf[1] + ',' + colourOf[2] + ',' + alpha.toFixed(3) + ')';
                g.beginPath(); g.moveTo(2, i * 20 + 10); g.lineTo(width - 2, j * 20 + 10); g.stroke();
              }
            }
          }

          function drawMatrix() {
            var canvas = document.getElementById('matrix-canvas'), ratio = window.devicePixelRatio || 1;
            var cell = Math.max(2, Math.min(28, Math.floor(640 / Math.max(T, 1))));
            // Names fit from 9 px per token; below that the axes carry token positions instead.
            var labels = cell >= 9, margin = labels ? Math.min(130, 12 + 7 * Math.max.apply(null, data.labels.map(function (s) { return Math.min(s.length, 16); }))) : 40;
            var size = margin + cell * T + 4;
            canvas.width = size * ratio; canvas.height = size * ratio;
            canvas.style.width = size + 'px'; canvas.style.height = size + 'px';
            var g = canvas.getContext('2d');
            g.setTransform(ratio, 0, 0, ratio, 0, 0);
            g.fillStyle = '#fff'; g.fillRect(0, 0, size, size);
            var m = shown(), isSigned = signed(), limit = 0, i, j;
            if (isSigned) { for (i = 0; i < m.length; i++) limit = Math.max(limit, Math.abs(m[i])); }
            limit = limit || 1;
            for (i = 0; i < T; i++) {
              for (j = 0; j < T; j++) {
                var v = m[i * T + j];
                g.fillStyle = css(isSigned ? colour(data.diverging, 0.5 + 0.5 * v / limit) : weightColour(v));
                g.fillRect(margin + j * cell, margin + i * cell, cell, cell);
              }
            }
            var focus = focusToken();
            if (focus) {
              g.strokeStyle = '#c2410c'; g.lineWidth = 2;
              if (focus.side === 'key') g.strokeRect(margin + focus.index * cell, margin, cell, cell * T);
              else g.strokeRect(margin, margin + focus.index * cell, cell * T, cell);
            }
            if (labels) {
              g.fillStyle = '#222'; g.font = Math.min(12, cell - 1) + 'px sans-serif'; g.textBaseline = 'middle';
              for (i = 0; i < T; i++) {
                var text = data.labels[i].length > 16 ? data.labels[i].slice(0, 15) + '…' : data.labels[i];
                g.fillStyle = data.masked.indexOf(i) >= 0 ? '#c2410c' : '#222';  // masked positions stand out
                g.textAlign = 'right'; g.fillText(text, margin - 4, margin + i * cell + cell / 2);
                g.save(); g.translate(margin + i * cell + cell / 2, margin - 4); g.rotate(-Math.PI / 2);
                g.textAlign = 'left'; g.fillText(text, 0, 0); g.restore();
              }
            }
            if (!labels) {
              // Position ticks every 1, 2 or 5 × 10ᵏ tokens, at least 40 px apart; masked positions in red.
              var step = 1, k = 0;
              while (step * cell < 40) { k++; step = [1, 2, 5][k % 3] * Math.pow(10, Math.floor(k / 3)); }
              g.font = '10px sans-serif'; g.strokeStyle = '#777'; g.lineWidth = 1;
              for (i = 0; i < T; i += step) ticks(i, '#333');
              data.masked.forEach(function (k) { ticks(k, '#c2410c'); });
            }
            function ticks(index, ink) {
              var at = margin + index * cell + cell / 2;
              g.fillStyle = ink;
              g.beginPath(); g.moveTo(margin - 4, at); g.lineTo(margin, at); g.moveTo(at, margin - 4); g.lineTo(at, margin); g.stroke();
              g.textAlign = 'right'; g.textBaseline = 'middle'; g.fillText(String(index), margin - 6, at);
              g.textAlign = 'center'; g.textBaseline = 'bottom'; g.fillText(String(index), at, margin - 6);
            }
            canvas.setAttribute('data-cell', cell); canvas.setAttribute('data-margin', margin);
          }

          function updateLegend() {
            var isSigned = signed(), limit = 0, m, i;
            if (isSigned) { m = shown(); for (i = 0; i < m.length; i++) limit = Math.max(limit, Math.abs(m[i])); limit = limit || 1; }
            var anchors = isSigned ? data.diverging : data.sequential;
            document.getElementById('legend-bar').style.background = 'linear-gradient(to right,' +
              anchors.map(function (a) { return css([a[1], a[2], a[3]]) + ' ' + (a[0] * 100) + '%'; }).join(',') + ')';
            document.getElementById('legend-caption').textContent = isSigned ? (state.show === 'dp' ? '∂L/∂P' : '∂L/∂S') : 'weight';
            document.getElementById('legend-low').textContent = isSigned ? (-limit).toExponential(2) : '0';
            document.getElementById('legend-high').textContent = isSigned ? limit.toExponential(2) : String(+scaleTop().toPrecision(3));
            document.getElementById('legend-note').textContent = isSigned
              ? '(red < 0: raising this entry would lower the loss; blue > 0: it would raise it)'
              : "(shading runs from 0 to the head's largest weights, rounded up)";
          }

          function shadeTokens() {
            var m = matrix(), focus = focusToken();
            Array.prototype.forEach.call(document.querySelectorAll('.token'), function (element) {
              var index = +element.getAttribute('data-index'), side = element.getAttribute('data-side');
              var classes = element.className.replace(/ ?(focused|light)/g, '');
              var weight = null;
              if (focus) {
                if (index === focus.index && (side === focus.side || side === 'text')) classes += ' focused';
                else if (focus.side === 'query' && side !== 'query') weight = m[focus.index * T + index];
                else if (focus.side === 'key' && side === 'query') weight = m[index * T + focus.index];
              }
              if (weight !== null && weight >= state.threshold) {
                var rgb = weightColour(weight);
                element.style.background = css(rgb);
                if (dark(rgb)) classes += ' light';
              } else {
                element.style.background = '';
              }
              element.className = classes;
            });
          }

          function fillFocus() {
            var panel = document.getElementById('focus'), focus = focusToken();
            if (!focus) { panel.innerHTML = '<p class="hint">Hover or click a token to see what it attends to.</p>'; return; }
            var m = matrix(), rows = [], i, entropy = 0;
            for (i = 0; i < T; i++) {
              var p = focus.side === 'query' ? m[focus.index * T + i] : m[i * T + focus.index];
              rows.push([i, p]);
              if (focus.side === 'query' && p > 0) entropy -= p * Math.log(p) / Math.LN2;
            }
            rows.sort(function (a, b) { return b[1] - a[1]; });
            var title = focus.side === 'query' ? 'attends most to' : 'most attended to by';
            var html = '<p><b>' + escapeHTML(data.labels[focus.index]) + '</b> (' + focus.index + ') ' + title + ':</p><table>';
            rows.slice(0, 10).forEach(function (r) {
              html += '<tr><td>' + escapeHTML(data.labels[r[0]]) + ' (' + r[0] + ')</td><td>' + r[1].toFixed(3) +
                '</td><td><span class="bar" style="width:' + Math.round(90 * Math.min(1, r[1])) + 'px"></span></td></tr>';
            });
            html += '</table>';
            if (focus.side === 'query') html += '<p>row entropy ' + entropy.toFixed(2) + ' bits (max ' + (Math.log(T) / Math.LN2).toFixed(2) + ')</p>';
            panel.innerHTML = html;
          }
          function escapeHTML(text) { return text.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }

          // MARK: events
          document.getElementById('layer').addEventListener('change', function (e) { state.layer = +e.target.value; render(); });
          document.getElementById('head').addEventListener('change', function (e) { state.head = e.target.value; render(); });
          var show = document.getElementById('show');
          if (show) show.addEventListener('change', function (e) { state.show = e.target.value; render(); });
          Array.prototype.forEach.call(document.querySelectorAll('.views button'), function (b) {
            b.addEventListener('click', function () { state.view = b.getAttribute('data-view'); render(); });
          });
          var threshold = document.getElementById('threshold');
          threshold.addEventListener('input', function () {
            state.threshold = +threshold.value; document.getElementById('threshold-value').textContent = state.threshold.toFixed(2); render();
          });
          Array.prototype.forEach.call(document.querySelectorAll('.token'), function (element) {
            var index = +element.getAttribute('data-index'), side = element.getAttribute('data-side') === 'key' ? 'key' : 'query';
            element.addEventListener('mouseenter', function () { state.hover = { side: side, index: index }; render(); });
            element.addEventListener('mouseleave', function () { state.hover = null; render(); });
            element.addEventListener('click', function () { state.token = state.token === index ? null : index; render(); });
          });
          Array.prototype.forEach.call(document.querySelectorAll('.entropy-cell'), function (cell) {
            cell.addEventListener('click', function () {
              state.layer = +cell.getAttribute('data-layer'); state.head = cell.getAttribute('data-head'); render();
            });
          });
          var matrixCanvas = document.getElementById('matrix-canvas');
          function cellAt(e) {
            var rect = matrixCanvas.getBoundingClientRect(), cell = +matrixCanvas.getAttribute('data-cell'), margin = +matrixCanvas.getAttribute('data-margin');
            var column = Math.floor((e.clientX - rect.left - margin) / cell), row = Math.floor((e.clientY - rect.top - margin) / cell);
            return row >= 0 && row < T && column >= 0 && column < T ? { row: row, column: column } : null;
          }
          matrixCanvas.addEventListener('mousemove', function (e) {
            var at = cellAt(e);
            var next = at ? { side: 'query', index: at.row } : null;
            if (JSON.stringify(next) !== JSON.stringify(state.hover)) { state.hover = next; render(); }
            if (at) {
              var v = shown()[at.row * T + at.column];
              matrixCanvas.title = data.labels[at.row] + ' (' + at.row + ') → ' + data.labels[at.column] + ' (' + at.column + '): ' + (signed() ? v.toExponential(3) : v.toFixed(4));
            }
          });
          matrixCanvas.addEventListener('mouseleave', function () { state.hover = null; render(); });
          matrixCanvas.addEventListener('click', function (e) { var at = cellAt(e); if (at) { state.token = state.token === at.row ? null : at.row; render(); } });
          window.addEventListener('hashchange', function () { readFragment(); render(); });

          state.layer = +document.body.getAttribute('data-layer') || 0;
          state.head = document.body.getAttribute('data-head') || '0';
          state.view = document.body.getAttribute('data-view') || 'lines';
          readFragment();
          render();
          if (state.token !== null) {  // bring a pinned token into the middle of its scrolling view
            var container = document.querySelector(state.view === 'text' ? '#text-tokens' : '.lines-scroll');
            var pinned = container && container.querySelector('[data-index="' + state.token + '"]');
            if (pinned) container.scrollTop = Math.max(0, pinned.offsetTop - container.offsetTop - container.clientHeight / 2);
          }
        })();
        """#
}
