package engine

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

// The whole pipeline (schedule → count → tokens → encoder → single
// writer) into io.Discard, for the two shapes issue 3 reports on.
const webConf = `[access.log]
count = 100000
interval = 1
earliest = -1s
token.0.token = \[([^\]]+)\]
token.0.replacementType = timestamp
token.0.replacement = %d/%b/%Y:%H:%M:%S
token.1.token = ^\S+
token.1.replacementType = random
token.1.replacement = ipv4
token.2.token = "(\w+ \S+) HTTP
token.2.replacementType = file
token.2.replacement = requests.txt
token.3.token = HTTP/1\.1" (\d+)
token.3.replacementType = random
token.3.replacement = integer[200:599]
token.4.token = HTTP/1\.1" \d+ (\d+)
token.4.replacementType = random
token.4.replacement = integer[100:100000]
`

const windbagConf = `[windbag.log]
count = 100000
interval = 1
token.0.token = ^\S+ \S+
token.0.replacementType = timestamp
token.0.replacement = %Y-%m-%d %H:%M:%S
`

func benchPipeline(b *testing.B, confText string, samples map[string]string, format string) {
	dir := b.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	for n, c := range samples {
		os.WriteFile(filepath.Join(dir, "samples", n), []byte(c), 0o644)
	}
	f, err := conf.Parse("bench.conf", []byte(confText))
	if err != nil {
		b.Fatal(err)
	}
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
	if len(res.Errors()) > 0 {
		b.Fatal(res.Errors())
	}
	e, problems := Prepare(res.Samples, Options{Stdout: io.Discard, Format: format, Clock: clock.NewSim(start), HasSeed: true, Seed: 1})
	if len(e.Stanzas()) != 1 {
		b.Fatal(problems)
	}
	st := e.Stanzas()[0]
	b.ReportAllocs()
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		last, err := e.runInterval(context.Background(), st, start.Add(time.Duration(i)*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		st.w.Submit(last)
		events += 100000
	}
	b.StopTimer()
	if err := e.outs.CloseAll(); err != nil {
		b.Fatal(err)
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/sec, "events/s")
	b.ReportMetric(float64(st.Stats().Bytes)/sec/1e6, "MB/s")
}

func BenchmarkPipelineWebAccess5Tokens(b *testing.B) {
	benchPipeline(b, webConf, map[string]string{
		"access.log":   `10.1.1.1 - - [04/Mar/2024:13:40:02] "GET /cart.do?action=view HTTP/1.1" 200 1362` + "\n",
		"requests.txt": "GET /cart.do?action=view\nPOST /cart.do?action=purchase\nGET /product.screen?id=7\nGET /search?q=flowers\n",
	}, "raw")
}

func BenchmarkPipelineWindbag(b *testing.B) {
	benchPipeline(b, windbagConf, map[string]string{"windbag.log": "2014-01-04 20:00:00 WINDBAG Event 1 of 12\n"}, "raw")
}

func BenchmarkPipelineWebAccessModinput(b *testing.B) {
	benchPipeline(b, webConf, map[string]string{
		"access.log":   `10.1.1.1 - - [04/Mar/2024:13:40:02] "GET /cart.do?action=view HTTP/1.1" 200 1362` + "\n",
		"requests.txt": "GET /cart.do?action=view\nPOST /cart.do?action=purchase\nGET /product.screen?id=7\nGET /search?q=flowers\n",
	}, "modinput")
}

// BenchmarkBackfillDemoDay backfills one day of the bundled demo (its
// three stanzas at their own intervals) on the simulated clock into
// io.Discard and reports how many times faster than real time it ran.
func BenchmarkBackfillDemoDay(b *testing.B) {
	demo, err := conf.ReadFile(filepath.Join("..", "..", "..", "samples", "eventgen.conf"))
	if err != nil {
		b.Fatal(err)
	}
	extra, _ := conf.Parse("backfill.conf", []byte("[global]\nbackfill = -1d\nend = 1\n"))
	samples := filepath.Join("..", "..", "..")
	var events int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := config.Load([]config.Source{{File: demo, AppDir: samples}, {File: extra, AppDir: samples}}, config.Options{Location: time.UTC, Now: start})
		if len(res.Errors()) > 0 || len(res.Samples) != 3 {
			b.Fatalf("%d samples, %v", len(res.Samples), res.Errors())
		}
		e, problems := Prepare(res.Samples, Options{Stdout: io.Discard, Format: "modinput", Clock: clock.NewSim(start), HasSeed: true, Seed: 1})
		if len(e.Stanzas()) != 3 {
			b.Fatal(problems)
		}
		if err := e.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		for _, st := range e.Stanzas() {
			events += st.Stats().Events
		}
	}
	perRun := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(86400/perRun, "x_realtime")
	b.ReportMetric(float64(events)/float64(b.N), "events/day")
}
