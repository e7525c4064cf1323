package splunktest

import (
	"encoding/xml"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// localeRE is Splunk Web's locale path segment, as in /en-US/.
var localeRE = regexp.MustCompile(`^[a-z]{2}-[A-Z]{2}$`)

// web answers the Splunk Web paths: /<locale>/app/..., /<locale>/static/app/...
// and /<locale>/splunkd/__raw/....
func (s *Server) web(w http.ResponseWriter, r *http.Request, escaped string) {
	parts := strings.SplitN(strings.TrimPrefix(escaped, "/"), "/", 3)
	if len(parts) < 2 || !localeRE.MatchString(parts[0]) {
		http.NotFound(w, r)
		return
	}
	rest := ""
	if len(parts) == 3 {
		rest = parts[2]
	}
	switch parts[1] {
	case "app":
		s.page(w, r, rest)
	case "static":
		s.static(w, r, rest)
	case "splunkd":
		if !strings.HasPrefix(rest, "__raw/") {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			c, err := r.Cookie(s.cookieName(r))
			key := r.Header.Get("X-Splunk-Form-Key")
			if err != nil || c.Value != s.csrf || key != s.csrf {
				// Splunk Web refuses a write without its form key; this
				// wording is the fake's.
				writeMessages(w, http.StatusForbidden, "ERROR", "Splunk Web refused the request: the X-Splunk-Form-Key header is missing or does not match the splunkweb_csrf_token cookie (CSRF protection)")
				return
			}
		}
		s.splunkd(w, r, strings.TrimPrefix(rest, "__raw"), s.opts.User)
	default:
		http.NotFound(w, r)
	}
}

// cookieName is splunkweb_csrf_token_<port of the address the browser used>.
func (s *Server) cookieName(r *http.Request) string {
	_, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		port = "8000"
	}
	return "splunkweb_csrf_token_" + port
}

// view is the part of a SimpleXML dashboard the fake renders.
type view struct {
	XMLName    xml.Name `xml:"dashboard"`
	Script     string   `xml:"script,attr"`
	Stylesheet string   `xml:"stylesheet,attr"`
	Label      string   `xml:"label"`
	Rows       []struct {
		Panels []struct {
			HTML []struct {
				Inner string `xml:",innerxml"`
			} `xml:"html"`
		} `xml:"panel"`
	} `xml:"row"`
}

// page renders app/<app>/<view> (the default view when none is named).
func (s *Server) page(w http.ResponseWriter, r *http.Request, rest string) {
	appName, viewName, _ := strings.Cut(rest, "/")
	viewName = strings.TrimSuffix(viewName, "/")
	if appName != s.opts.AppName || s.opts.AppDir == "" {
		http.Error(w, "App does not exist: "+appName, http.StatusNotFound)
		return
	}
	if viewName == "" {
		viewName = s.defaultView()
	}
	if viewName == "" || strings.ContainsAny(viewName, `/\.`) {
		http.Error(w, "View not found: "+viewName, http.StatusNotFound)
		return
	}
	data, err := os.ReadFile(filepath.Join(s.opts.AppDir, "default", "data", "ui", "views", viewName+".xml"))
	if err != nil {
		http.Error(w, "View not found: "+viewName, http.StatusNotFound)
		return
	}
	var v view
	if err := xml.Unmarshal(data, &v); err != nil {
		http.Error(w, fmt.Sprintf("view %s does not parse: %v", viewName, err), http.StatusInternalServerError)
		return
	}
	locale := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
	static := "/" + locale + "/static/app/" + appName + "/"
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(v.Label + " | Splunk (fake)"))
	b.WriteString("</title>\n<style>body{margin:0;font-family:'Splunk Platform Sans','Proxima Nova',Roboto,Arial,sans-serif;background:#f2f4f5;color:#3c444d}" +
		".fake-splunk-bar{background:#1a1c20;color:#fff;padding:8px 16px;font-size:14px}.fake-splunk-bar b{color:#65a637}" +
		".fake-app-bar{background:#fff;border-bottom:1px solid #c3cbd4;padding:8px 16px;font-size:13px}.dashboard-body{padding:16px}</style>\n")
	if v.Stylesheet != "" {
		fmt.Fprintf(&b, "<link rel=\"stylesheet\" href=\"%s\">\n", html.EscapeString(static+v.Stylesheet))
	}
	b.WriteString("</head><body>\n<div class=\"fake-splunk-bar\"><b>splunk&gt;</b>enterprise &nbsp; Apps: " + html.EscapeString(appName) + "</div>\n")
	b.WriteString("<div class=\"fake-app-bar\">" + html.EscapeString(v.Label) + "</div>\n<div class=\"dashboard-body\">\n")
	for _, row := range v.Rows {
		for _, p := range row.Panels {
			for _, h := range p.HTML {
				b.WriteString(h.Inner)
			}
		}
	}
	b.WriteString("\n</div>\n")
	if v.Script != "" {
		fmt.Fprintf(&b, "<script src=\"%s\"></script>\n", html.EscapeString(static+v.Script))
	}
	b.WriteString("</body></html>\n")
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: s.csrf, Path: "/"})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

// defaultView reads <view name="..." default="true"/> from the app's nav.
func (s *Server) defaultView() string {
	data, err := os.ReadFile(filepath.Join(s.opts.AppDir, "default", "data", "ui", "nav", "default.xml"))
	if err != nil {
		return ""
	}
	var nav struct {
		Views []struct {
			Name    string `xml:"name,attr"`
			Default string `xml:"default,attr"`
		} `xml:"view"`
	}
	if xml.Unmarshal(data, &nav) != nil {
		return ""
	}
	for _, v := range nav.Views {
		if v.Default == "true" {
			return v.Name
		}
	}
	return ""
}

// static serves static/app/<app>/<file> from the app's appserver/static.
func (s *Server) static(w http.ResponseWriter, r *http.Request, rest string) {
	appName, file, ok := strings.Cut(strings.TrimPrefix(rest, "app/"), "/")
	if !strings.HasPrefix(rest, "app/") || !ok || appName != s.opts.AppName || s.opts.AppDir == "" {
		http.NotFound(w, r)
		return
	}
	clean := path.Clean("/" + file)
	if clean == "/" || strings.Contains(clean, "..") {
		http.NotFound(w, r)
		return
	}
	var full string
	for _, dir := range append([]string{filepath.Join(s.opts.AppDir, "appserver", "static")}, s.opts.StaticDirs...) {
		full = filepath.Join(dir, filepath.FromSlash(clean))
		if st, err := os.Stat(full); err == nil && !st.IsDir() {
			break
		}
	}
	switch path.Ext(clean) {
	case ".wasm":
		w.Header().Set("Content-Type", "application/wasm")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	if st, err := os.Stat(full); err != nil || st.IsDir() {
		http.NotFound(w, r)
		return
	}
	http.ServeFile(w, r, full)
}
