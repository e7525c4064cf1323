// Package splunktest is an in-memory fake of Splunk Web and splunkd's REST
// API, for tests that drive the SA-Eventgen app the way Splunk would: the
// eventgen.conf editor page in a browser, and the modular input reading
// its configuration over REST.
//
// One Server answers both sides on one loopback address (real Splunk uses
// two ports, 8000 and 8089):
//
//   - splunkd: /services/... and /servicesNS/<owner>/<app>/... with
//     "Authorization: Splunk <session key>" — configs/conf-eventgen (list,
//     read, create, update, delete, with per-app write permission) and
//     search/jobs in oneshot mode. Answers follow splunkd's JSON shapes
//     (entry[].name/id/acl/content, paging, messages; splunk-platform.md
//     §2.2) and its error answers, {"messages":[{"type":"ERROR","text":...}]}
//     with 400, 401, 403, 404 or 409. Stanzas come from SetStanza or from
//     files read by ReadConf with package conf, the project's Splunk .conf
//     reader; "disabled" is typed with settings.ParseBool.
//   - Splunk Web: /<locale>/app/<app>/<view> renders a SimpleXML view of the
//     app folder as a page shell holding the view's <html> panel and
//     loading its script= and stylesheet= files from
//     /<locale>/static/app/<app>/ (the app's appserver/static folder); it
//     sets the splunkweb_csrf_token_<port> cookie. /<locale>/splunkd/__raw/...
//     proxies to the splunkd side as the logged-in user, and refuses POST
//     and DELETE without the cookie's value in X-Splunk-Form-Key, as Splunk
//     Web does.
//
// Searches are not SPL: only the shapes the editor page sends are
// understood — "search" followed by field=value filters (index,
// sourcetype, source, host, component; values quoted or not), earliest=
// with a relative time such as -15m, and quoted or bare words that must
// occur in _raw; then "| head N" and "| fields ..." (fields is accepted and
// ignored: results always carry _time and _raw). Anything else is answered
// as splunkd answers a search it cannot parse: 400 with a message.
//
// The error texts are splunkd's as far as they are known (the 409 "An
// object with name=... already exists", the 404 "Could not find object
// id=...", the 401 "call not properly authenticated"); the CSRF refusal's
// wording is this fake's own.
//
// The browser tests that use it live in the nested module
// [github.com/eventgen-go/eventgen/src/internal/splunktest/browsertest], so
// that their browser driver (chromedp) is not a dependency of the app.
package splunktest
