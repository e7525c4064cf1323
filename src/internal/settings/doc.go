// Package settings is the schema of eventgen.conf: every key, Eventgen's
// and this project's, declared once with its type, default, scope, owner
// and documentation. Parsing and its errors, eventgen validate, the editor
// page's checks (WebAssembly) and app/README/eventgen.conf.spec all come
// from it, so they cannot disagree.
package settings
