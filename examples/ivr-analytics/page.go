package main

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
)

// pageTemplate shows the funnel: each menu with its callers, their choices
// and who hung up there, then the transfers. Every number's cell has an
// id, STEP-WHAT, so that tools and tests can read it.
var pageTemplate = template.Must(template.New("funnel").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>IVR funnel</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }
td.n { text-align: right; }
</style>
</head>
<body>
<h1>IVR funnel</h1>
<p>Callers who reached each step, what they chose there, and where calls ended.
A call ends when Kazoo reports its <code>channel_destroy</code>.</p>
{{range .Menus}}{{$menu := .Name}}
<h2>Menu {{.Name}}</h2>
<table>
<tr><th>Reached</th><td class="n" id="{{.Name}}-reached">{{.Reached}}</td></tr>
<tr><th>Abandoned here</th><td class="n" id="{{.Name}}-abandoned">{{.Abandoned}}</td></tr>
</table>
<table>
<tr><th>Key</th><th>Choice</th><th>Times chosen</th></tr>
{{range .Choices}}<tr><td>{{if .Key}}{{.Key}}{{else}}–{{end}}</td><td>{{.Name}}</td><td class="n" id="{{$menu}}-choice-{{.Name}}">{{.Count}}</td></tr>
{{end}}</table>
{{end}}
<h2>Transfers</h2>
<table>
<tr><th>Destination</th><th>Reached</th><th>Calls ended there</th></tr>
{{range .Destinations}}<tr><td>{{.Name}}</td><td class="n" id="{{.Name}}-reached">{{.Reached}}</td><td class="n" id="{{.Name}}-transferred">{{.Transferred}}</td></tr>
{{end}}</table>
<h2>Calls</h2>
<table>
<tr><th>In progress</th><td class="n" id="calls-in-progress">{{.InProgress}}</td></tr>
<tr><th>Expired without a channel_destroy</th><td class="n" id="calls-expired">{{.Expired}}</td></tr>
<tr><th>channel_destroy of tracked calls</th><td class="n" id="destroys-tracked">{{.Tracked}}</td></tr>
<tr><th>channel_destroy of other calls</th><td class="n" id="destroys-untracked">{{.Untracked}}</td></tr>
</table>
<p>A call not heard of for {{.Timeout}} is dropped and counted as expired, and so is
the oldest when {{.MaxCalls}} calls are in progress. Metrics: <a href="metrics">/metrics</a>.</p>
</body>
</html>
`))

// pageHandler serves the funnel page.
func pageHandler(f *funnel, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		if err := pageTemplate.Execute(&b, f.snapshot()); err != nil {
			log.Error("rendering the funnel page", "error", err)
			http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b.Bytes())
	})
}
