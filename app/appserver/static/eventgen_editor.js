/*
 * SA-Eventgen: the eventgen.conf editor (default and setup view of the app).
 *
 * Plain JavaScript with no dependency: Splunk Web loads it through RequireJS
 * (the view's script= attribute) and the test fake with a <script> tag; it
 * defines nothing global but starts on the #eventgen-editor element of the
 * view's html panel.
 *
 * Everything goes through splunkd's REST API as Splunk Web proxies it
 * (<locale>/splunkd/__raw/servicesNS/...), so Splunk's own permissions
 * apply:
 *   - configs/conf-eventgen: list every app's stanzas (GET servicesNS/-/-),
 *     create (POST servicesNS/nobody/<app>/configs/conf-eventgen name=...),
 *     update (POST .../conf-eventgen/<stanza>; an empty value clears a key),
 *     delete (DELETE .../conf-eventgen/<stanza>);
 *   - services/search/jobs (exec_mode=oneshot; the job belongs to the
 *     logged-in user, in their default app, which does not matter since the
 *     searches name their indexes): the modular input's status lines
 *     ("eventgen_status" in splunkd.log, index=_internal) and the events a
 *     stanza produced (preview).
 * Writes carry Splunk Web's CSRF form key (cookie splunkweb_csrf_token_<port>)
 * in X-Splunk-Form-Key.
 *
 * Validation runs eventgen validate's own checks compiled to WebAssembly
 * (validate.wasm, src/cmd/validate-wasm): a form with an error saves nothing.
 */
(function () {
  'use strict';

  var APP = 'SA-Eventgen';
  var STATUS_MINUTES = 15;
  var STATUS_REFRESH_MS = 30000;
  var LOCALE_RE = /^(.*?\/)([a-z]{2}-[A-Z]{2})(?=\/)/;

  // Common settings shown as form fields: key, label, help, kind.
  var FIELDS = [
    ['mode', 'Mode', 'sample: count events per interval; replay: the sample\'s own timing', ['', 'sample', 'replay']],
    ['generator', 'Generator', 'default reads the sample; others need no sample file', ['', 'default', 'replay', 'windbag', 'counter', 'weblog', 'jinja']],
    ['count', 'Count', 'events per interval (-1 or 0: the whole sample)'],
    ['interval', 'Interval (s)', 'seconds between generations (0: once)'],
    ['earliest', 'Earliest', 'relative time of the first event, e.g. -60s'],
    ['latest', 'Latest', 'relative time of the last event, e.g. now'],
    ['backfill', 'Backfill', 'generate the past first, e.g. -1h'],
    ['end', 'End', 'number of intervals, or a time; empty: never'],
    ['perDayVolume', 'Per-day volume (GiB)', 'instead of count'],
    ['outputMode', 'Output mode', 'modinput indexes through the modular input', ['', 'modinput', 'file', 'spool', 'stdout', 'devnull', 'httpevent', 'metric_httpevent', 'splunkstream', 'syslogout', 'tcpout', 'udpout']],
    ['index', 'Index', ''],
    ['host', 'Host', ''],
    ['source', 'Source', 'default: the sample file name'],
    ['sourcetype', 'Sourcetype', ''],
    ['timezone', 'Timezone', 'local, UTC, +0530 or an IANA name']
  ];
  var FIELD_KEYS = {};
  FIELDS.forEach(function (f) { FIELD_KEYS[f[0]] = true; });
  var TOKEN_TYPES = ['static', 'timestamp', 'replaytimestamp', 'random', 'rated', 'file', 'mvfile', 'seqfile', 'integerid', 'all'];
  var TOKEN_RE = /^token\.(\d+)\.(token|replacementType|replacement)$/;

  // ------------------------------------------------------------ helpers

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') e.textContent = v;
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  // base is "<root>/<locale>", e.g. "/en-US", from the page's own path.
  function base() {
    var m = window.location.pathname.match(LOCALE_RE);
    return m ? m[1] + m[2] : '/en-US';
  }

  // formKey is Splunk Web's CSRF token: the splunkweb_csrf_token_<port>
  // cookie of this page's port (any such cookie when the port is unknown).
  function formKey() {
    var port = window.location.port || (window.location.protocol === 'https:' ? '443' : '80');
    var found = '';
    document.cookie.split(';').forEach(function (c) {
      var i = c.indexOf('=');
      var name = c.slice(0, i).trim();
      var value = c.slice(i + 1).trim();
      try { value = decodeURIComponent(value); } catch (e) { /* kept as sent */ }
      if (name === 'splunkweb_csrf_token_' + port) found = value;
      else if (!found && name.indexOf('splunkweb_csrf_token_') === 0) found = value;
    });
    return found;
  }

  function RestError(status, text, method, path) {
    this.status = status;
    this.text = text;
    this.method = method;
    this.path = path;
    this.message = 'splunkd answered ' + status + (text ? ': ' + text : '');
  }

  // rest calls splunkd through Splunk Web; params go in the query (GET) or
  // the form body (POST, DELETE).
  function rest(method, path, params) {
    var body = new URLSearchParams();
    body.set('output_mode', 'json');
    Object.keys(params || {}).forEach(function (k) { body.set(k, params[k]); });
    var url = base() + '/splunkd/__raw' + path;
    var init = { method: method, credentials: 'same-origin', headers: { 'X-Requested-With': 'XMLHttpRequest', 'Accept': 'application/json' } };
    if (method === 'GET') {
      url += (url.indexOf('?') < 0 ? '?' : '&') + body.toString();
    } else {
      init.headers['X-Splunk-Form-Key'] = formKey();
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      init.body = body.toString();
    }
    return fetch(url, init).then(function (resp) {
      return resp.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!resp.ok) {
          var msgs = (data && data.messages) || [];
          var t = msgs.map(function (m) { return m.text; }).filter(Boolean).join('; ');
          throw new RestError(resp.status, t || text.slice(0, 200), method, path);
        }
        return data || {};
      });
    });
  }

  function confPath(app, stanza) {
    var p = '/servicesNS/nobody/' + encodeURIComponent(app) + '/configs/conf-eventgen';
    return stanza === undefined ? p : p + '/' + encodeURIComponent(stanza);
  }

  // stringify turns splunkd's typed JSON values back into .conf text.
  function stringify(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return String(v);
  }

  function truthy(v) {
    return /^(1|true|t|yes|y|on)$/i.test(String(v || '').trim());
  }

  // splQuote quotes a value for SPL: in double quotes, with \ and " escaped.
  function splQuote(v) {
    return '"' + String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  }

  function bytes(n) {
    n = Number(n);
    if (!isFinite(n)) return '?';
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1048576).toFixed(1) + ' MiB';
  }

  // parseStatus reads the key=value pairs after "eventgen_status" in a
  // splunkd.log line; values are bare or Go-quoted (strconv.Quote).
  function parseStatus(raw) {
    var i = raw.indexOf('eventgen_status');
    if (i < 0) return null;
    var s = raw.slice(i + 'eventgen_status'.length);
    var out = {};
    var p = 0;
    while (p < s.length) {
      while (p < s.length && s[p] === ' ') p++;
      var eq = s.indexOf('=', p);
      if (eq < 0) break;
      var key = s.slice(p, eq);
      p = eq + 1;
      var val = '';
      if (s[p] === '"') {
        var r = unquoteGo(s, p);
        if (!r) return null;
        val = r.value;
        p = r.end;
      } else {
        var sp = s.indexOf(' ', p);
        if (sp < 0) sp = s.length;
        val = s.slice(p, sp);
        p = sp;
      }
      out[key] = val;
    }
    return out.stanza !== undefined ? out : null;
  }

  // unquoteGo decodes a Go double-quoted string starting at s[p]; it
  // returns {value, end} or null.
  function unquoteGo(s, p) {
    var out = '';
    var simple = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', '\'': '\'' };
    for (var i = p + 1; i < s.length; i++) {
      var c = s[i];
      if (c === '"') return { value: out, end: i + 1 };
      if (c !== '\\') { out += c; continue; }
      var e = s[++i];
      if (e in simple) { out += simple[e]; continue; }
      var len = { x: 2, u: 4, U: 8 }[e];
      if (len) {
        var hex = s.substr(i + 1, len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return null;
        out += String.fromCodePoint(parseInt(hex, 16));
        i += len;
        continue;
      }
      if (/[0-7]/.test(e)) {
        var oct = s.substr(i, 3);
        if (!/^[0-7]{3}$/.test(oct)) return null;
        out += String.fromCharCode(parseInt(oct, 8));
        i += 2;
        continue;
      }
      return null;
    }
    return null;
  }

  // ------------------------------------------------------------ validation

  // validator loads validate.wasm (eventgen validate's checks) once.
  var validatorPromise = null;
  function validator() {
    if (validatorPromise) return validatorPromise;
    var dir = base() + '/static/app/' + APP + '/';
    validatorPromise = new Promise(function (resolve, reject) {
      if (window.Go) return resolve();
      var s = document.createElement('script');
      s.src = dir + 'wasm_exec.js';
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error('wasm_exec.js could not be loaded')); };
      document.head.appendChild(s);
    }).then(function () {
      var go = new window.Go();
      var load = fetch(dir + 'validate.wasm', { credentials: 'same-origin' }).then(function (resp) {
        if (!resp.ok) throw new Error('validate.wasm: HTTP ' + resp.status);
        return resp.arrayBuffer();
      });
      return load.then(function (buf) { return WebAssembly.instantiate(buf, go.importObject); }).then(function (r) {
        go.run(r.instance);
        if (typeof window.eventgenValidate !== 'function') throw new Error('validate.wasm did not start');
        return function (stanza, values, global) {
          var ans = JSON.parse(window.eventgenValidate(JSON.stringify({ stanza: stanza, values: values, global: global })));
          if (ans.error) throw new Error(ans.error);
          return ans.problems;
        };
      });
    });
    return validatorPromise;
  }

  // ------------------------------------------------------------ the editor

  function Editor(root) {
    this.root = root;
    this.entries = [];
    this.global = {};
    this.status = {};
    this.statusError = '';
    this.validate = null;
    this.validatorError = '';
    this.form = null;
  }

  Editor.prototype.init = function () {
    var self = this;
    this.root.textContent = '';
    this.banner = el('div', { 'class': 'eg-banner', role: 'alert', 'aria-live': 'assertive', hidden: true });
    this.notice = el('div', { 'class': 'eg-notice', role: 'status', 'aria-live': 'polite' });
    this.list = el('div', { 'class': 'eg-list' });
    this.formBox = el('div', { 'class': 'eg-form-box' });
    this.preview = el('section', { 'class': 'eg-preview', 'aria-label': 'Preview', hidden: true });
    var toolbar = el('div', { 'class': 'eg-toolbar' }, [
      el('h2', { text: 'eventgen.conf stanzas' }),
      el('button', { type: 'button', 'class': 'btn btn-primary eg-new', onclick: function () { self.openForm('new'); } }, ['New stanza']),
      el('button', { type: 'button', 'class': 'btn eg-refresh', onclick: function () { self.refresh(); } }, ['Refresh'])
    ]);
    this.root.appendChild(toolbar);
    this.root.appendChild(this.banner);
    this.root.appendChild(this.notice);
    this.root.appendChild(this.list);
    this.root.appendChild(this.formBox);
    this.root.appendChild(this.preview);
    validator().then(function (v) { self.validate = v; }, function (e) {
      self.validatorError = 'Inline validation is unavailable (' + e.message + '); splunkd saves without checking, so run eventgen validate on the app afterwards.';
      self.say(self.validatorError);
    });
    this.refresh();
    window.setInterval(function () { self.loadStatus().then(function () { self.renderList(); }); }, STATUS_REFRESH_MS);
  };

  Editor.prototype.say = function (text) { this.notice.textContent = text; };

  // fail shows an error (and clears the last notice); fail('') hides it.
  Editor.prototype.fail = function (text) {
    this.banner.textContent = '';
    if (text) this.say('');
    if (!text) { this.banner.hidden = true; return; }
    this.banner.appendChild(el('span', { text: text }));
    var self = this;
    this.banner.appendChild(el('button', { type: 'button', 'class': 'btn-link eg-dismiss', 'aria-label': 'Dismiss', onclick: function () { self.fail(''); } }, ['×']));
    this.banner.hidden = false;
  };

  // explain turns a failed request into a sentence naming the stanza, the
  // app and what to do.
  Editor.prototype.explain = function (err, what, stanza, app) {
    if (!(err instanceof RestError)) return 'Could not ' + what + ': ' + err.message + '. Check that Splunk Web is reachable, then retry.';
    var said = err.text ? ' (splunkd: ' + err.text.replace(/[.\s]+$/, '') + ')' : '';
    switch (err.status) {
      case 401: return 'Your Splunk session has expired' + said + ': reload the page and log in again.';
      case 403: return 'Permission denied: you may not change eventgen.conf in app ' + app + said + '. Ask a Splunk admin to give one of your roles write permission on app ' + app + ' (Apps > Manage Apps > ' + app + ' > Permissions), or to make this change for you.';
      case 404: return 'Stanza [' + stanza + '] does not exist in app ' + app + said + '; someone may have deleted it. Refresh the list.';
      case 409: return 'A stanza named [' + stanza + '] already exists in app ' + app + said + ': choose another name, or edit that stanza.';
      case 400: return 'splunkd refused to ' + what + said + '. Correct the value and save again.';
    }
    return 'Could not ' + what + ': ' + err.message + '.';
  };

  // busy marks the root with data-busy while requests are in flight, for
  // assistive technology (aria-busy) and for tests that wait for calm.
  Editor.prototype.busy = function (p) {
    var root = this.root;
    this.pending = (this.pending || 0) + 1;
    root.setAttribute('data-busy', '1');
    root.setAttribute('aria-busy', 'true');
    var self = this;
    var done = function () {
      if (--self.pending === 0) {
        root.removeAttribute('data-busy');
        root.removeAttribute('aria-busy');
      }
    };
    return p.then(function (v) { done(); return v; }, function (e) { done(); throw e; });
  };

  Editor.prototype.refresh = function () {
    var self = this;
    return this.busy(Promise.all([this.loadConf(), this.loadStatus()]).then(function () { self.renderList(); }));
  };

  Editor.prototype.loadConf = function () {
    var self = this;
    return rest('GET', '/servicesNS/-/-/configs/conf-eventgen', { count: 0 }).then(function (data) {
      self.entries = (data.entry || []).map(function (e) {
        var acl = e.acl || {};
        var content = e.content || {};
        var values = {};
        Object.keys(content).forEach(function (k) {
          if (k.indexOf('eai:') === 0 || content[k] === null) return;
          values[k] = stringify(content[k]);
        });
        return {
          name: e.name, app: acl.app || content['eai:appName'] || '', canWrite: acl.can_write !== false,
          removable: acl.removable !== false, values: values
        };
      });
      var g = self.entries.filter(function (e) { return e.name === 'global'; });
      self.global = g.length ? g[g.length - 1].values : {};
    }, function (err) {
      self.entries = [];
      self.fail(err instanceof RestError && err.status === 403
        ? 'Permission denied: you may not read eventgen.conf (splunkd: ' + err.text + '). Ask a Splunk admin for read access to app ' + APP + '.'
        : self.explain(err, 'read eventgen.conf', '', APP));
    });
  };

  Editor.prototype.loadStatus = function () {
    var self = this;
    var search = 'search index=_internal sourcetype=splunkd component=ExecProcessor "eventgen_status" earliest=-' + STATUS_MINUTES + 'm | head 5000 | fields _time _raw';
    return rest('POST', '/services/search/jobs', { search: search, exec_mode: 'oneshot', count: 0 }).then(function (data) {
      var latest = {};
      (data.results || []).forEach(function (r) {
        var st = parseStatus(r._raw || '');
        if (!st) return;
        var key = (st.app || '') + '\u0000' + st.stanza;
        var t = Date.parse(r._time) || 0;
        if (!latest[key] || latest[key].time < t) latest[key] = { time: t, fields: st };
      });
      self.status = latest;
      self.statusError = '';
    }, function (err) {
      self.statusError = 'The modular input\'s status could not be searched (' + err.message + ').';
    });
  };

  // stateOf describes a stanza's state for the list.
  Editor.prototype.stateOf = function (e) {
    if (e.name === 'global' || e.name === 'default') return { cls: 'eg-state-none', label: 'defaults', detail: 'settings every stanza inherits' };
    var s = this.status[e.app + '\u0000' + e.name];
    if (!s) {
      if (truthy(e.values.disabled)) return { cls: 'eg-state-not_generating', label: 'disabled', detail: 'disabled = ' + e.values.disabled + ' in eventgen.conf' };
      return { cls: 'eg-state-unknown', label: 'no status', detail: this.statusError || 'no status from the modular input in the last ' + STATUS_MINUTES + ' minutes (is the modinput_eventgen input enabled?)' };
    }
    var f = s.fields;
    if (truthy(e.values.disabled) && (f.state === 'generating' || f.state === 'idle')) {
      // The status line predates the change; the next one will say so.
      return { cls: 'eg-state-not_generating', label: 'disabled', detail: 'disabled in eventgen.conf; the modular input last reported it ' + f.state + ' (as of ' + new Date(s.time).toLocaleTimeString() + ')' };
    }
    var when = s.time ? ' (as of ' + new Date(s.time).toLocaleTimeString() + ')' : '';
    var counts = 'last interval: ' + (f.interval_events || 0) + ' events, ' + bytes(f.interval_bytes || 0) + '; last period: ' + (f.events || 0) + ' events, ' + bytes(f.bytes || 0);
    // Delivery (lines since issue 14): what the destination took, and for a
    // network output its requests in flight, retries and receiver latency,
    // to tell a slow receiver from a slow generator.
    var delivered = '';
    if (f.delivered_events_per_s !== undefined) {
      delivered = '; delivered: ' + f.delivered_events_per_s + ' events/s, ' + bytes(Math.round(+f.delivered_bytes_per_s || 0)) + '/s';
      if (+f.latency_ms > 0 || +f.in_flight > 0 || +f.retries > 0) {
        delivered += ', ' + (f.in_flight || 0) + ' request(s) in flight, ' + (f.retries || 0) + ' retries, receiver latency ' + f.latency_ms + ' ms';
      }
    }
    // A running stanza may run without tokens that cannot produce a value.
    var broken = +f.broken_tokens > 0 ? '; running without ' + f.broken_tokens + ' broken token(s), their text left as written: ' + (f.warnings || 'see splunkd.log') : '';
    switch (f.state) {
      case 'generating': return { cls: 'eg-state-generating', label: 'generating', detail: counts + delivered + broken + when };
      case 'idle': return { cls: 'eg-state-idle', label: 'idle', detail: 'running, nothing written in the last period' + delivered + broken + when };
      case 'done': return { cls: 'eg-state-done', label: 'done', detail: 'reached its end' + (f.reason ? ': ' + f.reason : '') + broken + when };
      case 'failed': return { cls: 'eg-state-failed', label: 'failed', detail: (f.last_error || 'stopped on an error') + when };
      case 'not_generating': return { cls: 'eg-state-not_generating', label: 'not generating', detail: (f.reason || 'see splunkd.log') + when };
    }
    return { cls: 'eg-state-unknown', label: f.state || '?', detail: (f.reason || '') + when };
  };

  Editor.prototype.renderList = function () {
    var self = this;
    this.list.textContent = '';
    var rows = this.entries.filter(function (e) { return e.name !== 'default'; });
    if (!rows.length) {
      this.list.appendChild(el('p', { 'class': 'eg-empty', text: 'No eventgen.conf stanza is visible to this app. Create one with New stanza.' }));
      return;
    }
    var tbody = el('tbody');
    rows.forEach(function (e) {
      var st = self.stateOf(e);
      var disabled = truthy(e.values.disabled);
      var label = '[' + e.name + '] in ' + e.app;
      var actions = el('td', { 'class': 'eg-actions' });
      actions.appendChild(el('button', { type: 'button', 'class': 'btn-link eg-edit', 'aria-label': 'Edit ' + label, onclick: function () { self.openForm('edit', e); } }, ['Edit']));
      if (e.name !== 'global') {
        actions.appendChild(el('button', { type: 'button', 'class': 'btn-link eg-clone', 'aria-label': 'Clone ' + label, onclick: function () { self.openForm('clone', e); } }, ['Clone']));
        actions.appendChild(el('button', {
          type: 'button', 'class': 'btn-link eg-toggle', 'aria-label': (disabled ? 'Enable ' : 'Disable ') + label, disabled: !e.canWrite,
          onclick: function () { self.setDisabled(e, !disabled); }
        }, [disabled ? 'Enable' : 'Disable']));
        actions.appendChild(el('button', { type: 'button', 'class': 'btn-link eg-preview-btn', 'aria-label': 'Preview events of ' + label, onclick: function () { self.showPreview(e); } }, ['Preview']));
      }
      actions.appendChild(el('button', { type: 'button', 'class': 'btn-link eg-delete', 'aria-label': 'Delete ' + label, disabled: !e.canWrite || !e.removable, onclick: function () { self.confirmDelete(e, actions); } }, ['Delete']));
      tbody.appendChild(el('tr', { 'class': 'eg-row' + (disabled ? ' eg-disabled' : ''), 'data-stanza': e.name, 'data-app': e.app }, [
        el('td', { 'class': 'eg-name' }, [el('code', { text: e.name })]),
        el('td', { 'class': 'eg-app', text: e.app + (e.canWrite ? '' : ' (read-only)') }),
        el('td', { 'class': 'eg-state' }, [el('span', { 'class': 'eg-badge ' + st.cls, text: st.label }), ' ', el('span', { 'class': 'eg-detail', text: st.detail })]),
        el('td', { 'class': 'eg-count', text: e.values.count || '' }),
        el('td', { 'class': 'eg-dest', text: [e.values.index, e.values.sourcetype].filter(Boolean).join(' / ') }),
        actions
      ]));
    });
    this.list.appendChild(el('table', { 'class': 'table eg-table' }, [
      el('caption', { 'class': 'eg-caption', text: 'State comes from the modular input\'s status lines in index=_internal (last ' + STATUS_MINUTES + ' minutes).' }),
      el('thead', {}, [el('tr', {}, ['Stanza', 'App', 'State', 'Count', 'Index / sourcetype', 'Actions'].map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
      tbody
    ]));
  };

  Editor.prototype.setDisabled = function (e, disable) {
    var self = this;
    this.fail('');
    this.say('');
    return this.busy(rest('POST', confPath(e.app, e.name), { disabled: disable ? '1' : '0' })).then(function () {
      self.say('[' + e.name + '] in ' + e.app + ' is now ' + (disable ? 'disabled' : 'enabled') + '; the modular input applies it without a restart.');
      return self.refresh();
    }, function (err) { self.fail(self.explain(err, (disable ? 'disable' : 'enable') + ' [' + e.name + ']', e.name, e.app)); });
  };

  Editor.prototype.confirmDelete = function (e, cell) {
    var self = this;
    var old = cell.querySelector('.eg-confirm');
    if (old) old.remove();
    var box = el('div', { 'class': 'eg-confirm', role: 'group', 'aria-label': 'Confirm deletion' }, [
      el('span', { text: 'Delete [' + e.name + '] from ' + e.app + '? ' }),
      el('button', { type: 'button', 'class': 'btn btn-danger eg-confirm-delete', onclick: function () { self.remove(e); } }, ['Delete']),
      el('button', { type: 'button', 'class': 'btn eg-confirm-cancel', onclick: function () { box.remove(); } }, ['Cancel'])
    ]);
    cell.appendChild(box);
    box.querySelector('.eg-confirm-delete').focus();
  };

  Editor.prototype.remove = function (e) {
    var self = this;
    this.fail('');
    this.say('');
    return this.busy(rest('DELETE', confPath(e.app, e.name))).then(function () {
      self.say('[' + e.name + '] was deleted from ' + e.app + '.');
      if (self.form && self.form.entry === e) self.closeForm();
      return self.refresh();
    }, function (err) { self.fail(self.explain(err, 'delete [' + e.name + ']', e.name, e.app)); });
  };

  // ------------------------------------------------------------ the form

  function fieldId(key) { return 'eg-f-' + key.replace(/[^A-Za-z0-9_-]/g, '_'); }

  Editor.prototype.openForm = function (mode, entry) {
    var self = this;
    this.fail('');
    var values = entry ? Object.assign({}, entry.values) : {};
    var writable = this.entries.filter(function (e) { return e.canWrite; }).map(function (e) { return e.app; });
    if (writable.indexOf(APP) < 0) writable.unshift(APP);
    writable = writable.filter(function (a, i) { return writable.indexOf(a) === i; });
    var app = entry && (mode === 'edit' || entry.canWrite) ? entry.app : APP;
    var name = entry ? (mode === 'clone' ? entry.name + '_copy' : entry.name) : '';
    if (mode === 'clone') delete values.disabled;
    var f = { mode: mode, entry: entry || null, original: mode === 'edit' ? entry.values : {}, tokens: [], other: [] };
    this.form = f;

    var title = mode === 'edit' ? 'Edit [' + name + '] in ' + app : mode === 'clone' ? 'Clone [' + entry.name + ']' : 'New stanza';
    var nameInput = el('input', { id: 'eg-f-name', type: 'text', value: name, readonly: mode === 'edit', 'aria-describedby': 'eg-f-name-problem', autocomplete: 'off', spellcheck: 'false' });
    var appSelect = el('select', { id: 'eg-f-app', disabled: mode === 'edit' }, writable.concat(mode === 'edit' && writable.indexOf(app) < 0 ? [app] : []).map(function (a) {
      return el('option', { value: a, selected: a === app }, [a]);
    }));
    f.name = nameInput;
    f.app = appSelect;
    var grid = el('div', { 'class': 'eg-grid' });
    FIELDS.forEach(function (fd) {
      var key = fd[0];
      var id = fieldId(key);
      var inherited = self.global[key] !== undefined ? 'inherits ' + self.global[key] : '';
      var input;
      if (fd[3]) {
        input = el('select', { id: id, 'data-key': key, 'aria-describedby': id + '-help ' + id + '-problem' }, fd[3].map(function (o) {
          return el('option', { value: o, selected: (values[key] || '') === o }, [o || '(inherit' + (self.global[key] ? ': ' + self.global[key] : '') + ')']);
        }));
        if (values[key] && fd[3].indexOf(values[key]) < 0) input.appendChild(el('option', { value: values[key], selected: true }, [values[key]]));
      } else {
        input = el('input', { id: id, type: 'text', 'data-key': key, value: values[key] || '', placeholder: inherited, 'aria-describedby': id + '-help ' + id + '-problem', autocomplete: 'off', spellcheck: 'false' });
      }
      input.addEventListener('input', function () { self.check(false); });
      grid.appendChild(el('div', { 'class': 'eg-field' }, [
        el('label', { 'for': id, text: fd[1] }),
        input,
        el('small', { id: id + '-help', 'class': 'eg-help', text: fd[2] }),
        el('div', { id: id + '-problem', 'class': 'eg-problem', 'aria-live': 'polite' })
      ]));
      delete values[key];
    });

    // Tokens, in numeric order; their keys leave values.
    var byN = {};
    Object.keys(values).forEach(function (k) {
      var m = k.match(TOKEN_RE);
      if (!m) return;
      (byN[m[1]] = byN[m[1]] || {})[m[2]] = values[k];
      delete values[k];
    });
    this.tokenBox = el('div', { 'class': 'eg-tokens' });
    Object.keys(byN).map(Number).sort(function (a, b) { return a - b; }).forEach(function (n) { self.addToken(n, byN[n]); });

    // Everything else stays editable as key = value.
    this.otherBox = el('div', { 'class': 'eg-other' });
    Object.keys(values).sort().forEach(function (k) {
      if (k === 'disabled' && mode !== 'clone') return;
      self.addOther(k, values[k]);
    });

    var form = el('form', { 'class': 'eg-form', 'aria-labelledby': 'eg-form-title', novalidate: true }, [
      el('h3', { id: 'eg-form-title', text: title }),
      el('div', { 'class': 'eg-summary', role: 'alert', hidden: true }),
      el('div', { 'class': 'eg-grid eg-grid-top' }, [
        el('div', { 'class': 'eg-field eg-field-wide' }, [
          el('label', { 'for': 'eg-f-name', text: 'Stanza (sample file name, or a regex matching sample file names)' }),
          nameInput,
          el('div', { id: 'eg-f-name-problem', 'class': 'eg-problem', 'aria-live': 'polite' })
        ]),
        el('div', { 'class': 'eg-field' }, [el('label', { 'for': 'eg-f-app', text: 'App' }), appSelect])
      ]),
      el('fieldset', {}, [el('legend', { text: 'Common settings (empty: inherited from [global] or the defaults)' }), grid]),
      el('fieldset', {}, [
        el('legend', { text: 'Tokens: each replaces what its regex (Python syntax) matches in the sample' }),
        this.tokenBox,
        el('button', { type: 'button', 'class': 'btn eg-add-token', onclick: function () { self.addToken(self.nextToken(), {}); self.check(false); } }, ['Add token'])
      ]),
      el('fieldset', {}, [
        el('legend', { text: 'Other settings' }),
        this.otherBox,
        el('button', { type: 'button', 'class': 'btn eg-add-other', onclick: function () { self.addOther('', ''); } }, ['Add setting'])
      ]),
      el('p', { 'class': 'eg-note', text: 'Checked here with eventgen validate\'s rules. Sample files and token files cannot be checked from the browser: the modular input reports those (see the state column), or run eventgen validate on the app.' }),
      el('div', { 'class': 'eg-buttons' }, [
        el('button', { type: 'submit', 'class': 'btn btn-primary eg-save' }, ['Save']),
        el('button', { type: 'button', 'class': 'btn eg-cancel', onclick: function () { self.closeForm(); } }, ['Cancel'])
      ])
    ]);
    form.addEventListener('submit', function (ev) { ev.preventDefault(); self.save(); });
    nameInput.addEventListener('input', function () { self.check(false); });
    f.el = form;
    this.formBox.textContent = '';
    this.formBox.appendChild(form);
    (mode === 'edit' ? grid.querySelector('input') : nameInput).focus();
    this.check(false);
  };

  Editor.prototype.closeForm = function () {
    this.form = null;
    this.formBox.textContent = '';
  };

  Editor.prototype.nextToken = function () {
    // Removed tokens keep their number: their keys are cleared on save.
    var max = -1;
    this.form.tokens.forEach(function (t) { max = Math.max(max, t.n); });
    return max + 1;
  };

  Editor.prototype.addToken = function (n, v) {
    var self = this;
    var p = 'eg-t' + n + '-';
    var input = function (field, label) {
      return el('div', { 'class': 'eg-field' }, [
        el('label', { 'for': p + field, text: 'token.' + n + '.' + label }),
        field === 'replacementType'
          ? el('select', { id: p + field, 'aria-describedby': p + field + '-problem', oninput: function () { self.check(false); } }, [''].concat(TOKEN_TYPES).concat(v.replacementType && TOKEN_TYPES.indexOf(v.replacementType) < 0 ? [v.replacementType] : []).map(function (t) {
            return el('option', { value: t, selected: (v.replacementType || '') === t }, [t || '(choose)']);
          }))
          : el('input', { id: p + field, type: 'text', value: v[field] || '', 'aria-describedby': p + field + '-problem', autocomplete: 'off', spellcheck: 'false', oninput: function () { self.check(false); } }),
        el('div', { id: p + field + '-problem', 'class': 'eg-problem', 'aria-live': 'polite' })
      ]);
    };
    var t = { n: n, removed: false };
    var row = el('div', { 'class': 'eg-token', 'data-token': String(n), role: 'group', 'aria-label': 'token ' + n }, [
      input('token', 'token (regex)'), input('replacementType', 'replacementType'), input('replacement', 'replacement'),
      el('button', { type: 'button', 'class': 'btn-link eg-remove-token', 'aria-label': 'Remove token ' + n, onclick: function () { t.removed = true; row.remove(); self.check(false); } }, ['Remove']),
      el('div', { id: p + 'problem', 'class': 'eg-problem eg-token-problem', 'aria-live': 'polite' })
    ]);
    t.row = row;
    this.form.tokens.push(t);
    this.tokenBox.appendChild(row);
  };

  Editor.prototype.addOther = function (k, v) {
    var self = this;
    var i = this.form.other.length;
    var o = { removed: false };
    var key = el('input', { type: 'text', id: 'eg-o' + i + '-key', value: k, 'aria-label': 'Setting name', autocomplete: 'off', spellcheck: 'false', oninput: function () { self.check(false); } });
    var val = el('input', { type: 'text', id: 'eg-o' + i + '-value', value: v, 'aria-label': 'Value of ' + (k || 'the setting'), autocomplete: 'off', spellcheck: 'false', oninput: function () { self.check(false); } });
    var row = el('div', { 'class': 'eg-other-row' }, [key, el('span', { text: ' = ' }), val,
      el('button', { type: 'button', 'class': 'btn-link', 'aria-label': 'Remove setting ' + k, onclick: function () { o.removed = true; row.remove(); self.check(false); } }, ['Remove']),
      el('div', { 'class': 'eg-problem', id: 'eg-o' + i + '-problem' })]);
    o.key = key;
    o.value = val;
    o.row = row;
    this.form.other.push(o);
    this.otherBox.appendChild(row);
  };

  // collect reads the form: the stanza's settings (empty fields left out).
  Editor.prototype.collect = function () {
    var f = this.form;
    var values = {};
    f.el.querySelectorAll('[data-key]').forEach(function (i) { if (i.value.trim() !== '') values[i.getAttribute('data-key')] = i.value.trim(); });
    f.tokens.forEach(function (t) {
      if (t.removed) return;
      ['token', 'replacementType', 'replacement'].forEach(function (field) {
        var v = document.getElementById('eg-t' + t.n + '-' + field).value;
        if (v.trim() !== '') values['token.' + t.n + '.' + field] = field === 'replacement' ? v : v.trim();
      });
    });
    f.other.forEach(function (o) {
      if (!o.removed && o.key.value.trim() !== '') values[o.key.value.trim()] = o.value.value.trim();
    });
    return values;
  };

  // problemTarget finds where a problem about key is shown.
  Editor.prototype.problemTarget = function (key) {
    var f = this.form;
    if (!key) return document.getElementById('eg-f-name-problem');
    if (FIELD_KEYS[key]) return document.getElementById(fieldId(key) + '-problem');
    var m = key.match(/^token\.(\d+)(?:\.(token|replacementType|replacement))?$/);
    if (m) return document.getElementById('eg-t' + m[1] + '-' + (m[2] ? m[2] + '-' : '') + 'problem');
    for (var i = 0; i < f.other.length; i++) {
      if (!f.other[i].removed && f.other[i].key.value.trim() === key) return document.getElementById('eg-o' + i + '-problem');
    }
    return null;
  };

  // check validates the form and shows each problem next to its field;
  // it returns the number of errors (-1 when validation is unavailable).
  Editor.prototype.check = function (onSave) {
    var f = this.form;
    if (!f) return 0;
    var summary = f.el.querySelector('.eg-summary');
    f.el.querySelectorAll('.eg-problem').forEach(function (p) { p.textContent = ''; p.className = p.className.replace(/ eg-(error|warn)/g, ''); });
    f.el.querySelectorAll('[aria-invalid]').forEach(function (i) { i.removeAttribute('aria-invalid'); });
    summary.textContent = '';
    summary.hidden = true;
    var name = f.name.value.trim();
    var problems = [];
    if (!name) {
      if (onSave) problems.push({ severity: 'ERROR', key: '', message: 'Give the stanza a name: the sample file\'s name, or a regex matching sample file names.' });
    } else if (/[\[\]]/.test(name) && !/^[^\[\]]*\[[^\]]*\][^\[\]]*$/.test(name)) {
      problems.push({ severity: 'ERROR', key: '', message: 'A stanza name cannot hold unbalanced [ or ].' });
    }
    if (!this.validate) {
      if (onSave && !this.validatorError) {
        problems.push({ severity: 'ERROR', key: '', message: 'The checker is still loading; save again in a moment.' });
      }
    } else if (name) {
      try {
        problems = problems.concat(this.validate(name, this.collect(), this.global));
      } catch (e) {
        problems.push({ severity: 'ERROR', key: '', message: 'The checker failed: ' + e.message });
      }
    }
    var errors = 0;
    var loose = [];
    var self = this;
    problems.forEach(function (p) {
      var isErr = p.severity === 'ERROR';
      if (isErr) errors++;
      var target = self.problemTarget(p.key);
      var text = (isErr ? 'Error: ' : 'Warning: ') + (p.key && !target ? p.key + ': ' : '') + p.message;
      if (!target) { loose.push({ text: text, isErr: isErr }); return; }
      target.appendChild(el('div', { text: text }));
      target.className += isErr ? ' eg-error' : ' eg-warn';
      var input = target.parentNode.querySelector('input,select');
      if (isErr && input) input.setAttribute('aria-invalid', 'true');
    });
    if (loose.length || (onSave && errors)) {
      summary.hidden = false;
      if (onSave && errors) summary.appendChild(el('p', { 'class': 'eg-error', text: 'Nothing was saved: correct the ' + errors + ' error' + (errors > 1 ? 's' : '') + ' shown next to the fields.' }));
      loose.forEach(function (l) { summary.appendChild(el('p', { 'class': l.isErr ? 'eg-error' : 'eg-warn', text: l.text })); });
    }
    return errors;
  };

  Editor.prototype.save = function () {
    var self = this;
    var f = this.form;
    this.fail('');
    if (this.check(true) > 0) {
      var bad = f.el.querySelector('[aria-invalid="true"]');
      if (bad) bad.focus();
      return Promise.resolve();
    }
    var name = f.name.value.trim();
    var app = f.app.value;
    var values = this.collect();
    var req;
    if (f.mode === 'edit') {
      var changes = {};
      Object.keys(values).forEach(function (k) { if (values[k] !== f.original[k]) changes[k] = values[k]; });
      // A key that was set and is now empty is cleared (splunkd writes
      // "key =", which eventgen reads as unset); inherited [default]
      // values show up here too and are cleared the same way.
      Object.keys(f.original).forEach(function (k) {
        if (!(k in values) && k !== 'disabled' && f.original[k] !== '') changes[k] = '';
      });
      if (!Object.keys(changes).length) {
        this.say('No change to save for [' + name + '].');
        this.closeForm();
        return Promise.resolve();
      }
      req = rest('POST', confPath(app, name), changes);
    } else {
      var params = Object.assign({ name: name }, values);
      req = rest('POST', confPath(app), params);
    }
    var button = f.el.querySelector('.eg-save');
    button.disabled = true;
    return this.busy(req).then(function () {
      self.say('[' + name + '] was saved in ' + app + '; the modular input applies it without a restart.');
      self.closeForm();
      return self.refresh();
    }, function (err) {
      button.disabled = false;
      self.fail(self.explain(err, 'save [' + name + ']', name, app));
    });
  };

  // ------------------------------------------------------------ preview

  Editor.prototype.showPreview = function (e) {
    var self = this;
    var v = e.values;
    var search = 'search index=' + splQuote(v.index || this.global.index || 'main') +
      ' sourcetype=' + splQuote(v.sourcetype || this.global.sourcetype || 'eventgen') +
      (v.source ? ' source=' + splQuote(v.source) : '') + ' earliest=-15m | head 10 | fields _time _raw';
    this.preview.hidden = false;
    this.preview.textContent = '';
    this.preview.appendChild(el('h3', { text: 'Last events of [' + e.name + ']' }));
    this.preview.appendChild(el('p', { 'class': 'eg-help' }, [el('code', { text: search })]));
    var box = el('div', { 'class': 'eg-events', 'aria-live': 'polite', text: 'Searching…' });
    this.preview.appendChild(box);
    return this.busy(rest('POST', '/services/search/jobs', { search: search, exec_mode: 'oneshot', count: 10 })).then(function (data) {
      box.textContent = '';
      var results = data.results || [];
      if (!results.length) {
        box.appendChild(el('p', { text: 'No event in the last 15 minutes. Check the state column: a disabled or failed stanza generates nothing; a stanza writing to another output (file, HEC, syslog) is not indexed here.' }));
        return;
      }
      results.forEach(function (r) {
        box.appendChild(el('div', { 'class': 'eg-event' }, [el('time', { text: r._time || '' }), el('pre', { text: r._raw || '' })]));
      });
    }, function (err) {
      box.textContent = self.explain(err, 'search the events of [' + e.name + ']', e.name, e.app);
    });
  };

  // ------------------------------------------------------------ start

  function start() {
    var tries = 0;
    (function look() {
      var root = document.getElementById('eventgen-editor');
      if (root && !root.getAttribute('data-started')) {
        root.setAttribute('data-started', '1');
        new Editor(root).init();
      } else if (!root && tries++ < 100) {
        // Splunk Web may run this before the html panel is in the page.
        window.setTimeout(look, 100);
      }
    })();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
