package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/all" // every generator, by name
	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/shard"
	"github.com/eventgen-go/eventgen/src/internal/splunk"
	"github.com/eventgen-go/eventgen/src/internal/status"
	"github.com/eventgen-go/eventgen/src/internal/supervise"
)

// statusCheck and statsEvery are supervise's DefaultCheck and
// DefaultStats; tests shorten statsEvery.
const statusCheck = supervise.DefaultCheck

var statsEvery = supervise.DefaultStats

func run(ctx context.Context, args []string, p *proc) int {
	if len(args) > 0 {
		switch args[0] {
		case "--scheme":
			if _, err := p.out.Write(splunk.SchemeXML()); err != nil {
				return 1
			}
			return 0
		case "--validate-arguments":
			return validate(p)
		case "--version":
			fmt.Fprintln(p.out, "modinput_eventgen", version)
			return 0
		case "--infile":
			// Debugging aid (as in SA-Eventgen): the run-mode XML from a
			// file, e.g. from `splunk cmd splunkd print-modinput-config`.
			if len(args) < 2 {
				fmt.Fprintln(p.err, "FATAL --infile needs a file name")
				return 2
			}
			f, err := os.Open(args[1])
			if err != nil {
				fmt.Fprintf(p.err, "FATAL %v\n", err)
				return 2
			}
			defer f.Close()
			p.in = f
		default:
			fmt.Fprintf(p.err, "FATAL unknown argument %q; splunkd runs this program with --scheme, --validate-arguments or no argument\n", args[0])
			return 2
		}
	}
	return stream(ctx, p)
}

// validate answers --validate-arguments: nothing and exit 0 when the
// input's parameters are fine, an <error> document and exit 1 otherwise.
func validate(p *proc) int {
	v, err := splunk.ParseValidation(p.in)
	if err != nil {
		splunk.WriteValidationError(p.out, "cannot read the validation request from splunkd: "+err.Error())
		return 1
	}
	if err := splunk.ValidateVerbosity(v.Params["verbosity"]); err != nil {
		splunk.WriteValidationError(p.out, err.Error())
		return 1
	}
	if _, err := splunk.ParsePollInterval(v.Params["config_poll_interval"]); err != nil {
		splunk.WriteValidationError(p.out, err.Error())
		return 1
	}
	if v := strings.TrimSpace(v.Params["shard"]); v != "" {
		if _, err := shard.Parse(v); err != nil {
			splunk.WriteValidationError(p.out, "shard: "+err.Error())
			return 1
		}
	}
	return 0
}

// splunkHome is $SPLUNK_HOME, or derived from where the binary sits:
// $SPLUNK_HOME/etc/apps/<app>/<arch>/bin/<exe>.
func splunkHome(p *proc) string {
	if h := p.env("SPLUNK_HOME"); h != "" {
		return h
	}
	exe, err := p.exe()
	if err != nil {
		return ""
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	d := exe
	for i := 0; i < 6; i++ {
		d = filepath.Dir(d)
	}
	return d
}

// stream is run mode.
func stream(ctx context.Context, p *proc) int {
	raw, err := io.ReadAll(p.in)
	if err != nil {
		fmt.Fprintf(p.err, "FATAL cannot read the input configuration from stdin: %v\n", err)
		return 1
	}
	in, err := splunk.ParseInput(bytes.NewReader(raw))
	if err != nil {
		fmt.Fprintf(p.err, "FATAL cannot parse the input configuration splunkd sent on stdin: %v\n", err)
		return 1
	}
	input := "modinput_eventgen://default"
	level := slog.LevelInfo
	if len(in.Stanzas) > 0 {
		input = in.Stanzas[0].Name
		if lv, err := logging.ParseLevel(in.Stanzas[0].Params["verbosity"]); err == nil {
			level = lv
		} else {
			fmt.Fprintf(p.err, "WARN %s: %v; logging at INFO\n", input, err)
		}
	}
	log := logging.New(p.err, logging.Options{Level: level})
	home := splunkHome(p)
	log.Info("modinput_eventgen starting", "version", version, "input", input, "splunk_home", home)

	poll := splunk.DefaultPollInterval
	if len(in.Stanzas) > 0 {
		d, err := splunk.ParsePollInterval(in.Stanzas[0].Params["config_poll_interval"])
		if err != nil {
			log.Warn(err.Error()+"; using the default", "input", input, "default_s", poll.Seconds())
		} else {
			poll = d
		}
	}

	src := &configSource{in: in, home: home, log: log}
	cfg := src.load(ctx)
	supervise.LogConfig(log, cfg)

	sh, err := inputShard(p, in, log, input)
	if err != nil {
		// N inputs each generating everything would be N times the volume
		log.Error(err.Error()+"; generating nothing: fix the input's shard (K/N, K from 0 to N-1)", "input", input)
		return 1
	}
	opts := engine.Options{Stdout: p.out, Format: "modinput", StreamStanza: input, Log: log, Watch: true, Shard: sh, Splice: true}
	if v, ok := cfg.Global["seed"]; ok && strings.TrimSpace(v.Text) != "" {
		// as eventgen generate: [global] seed makes the output reproducible
		if n, err := strconv.ParseInt(strings.TrimSpace(v.Text), 10, 64); err == nil {
			opts.Seed, opts.HasSeed = uint64(n), true
		} else {
			log.Warn("seed in [global] is not a whole number; ignored", "seed", v.Text)
		}
	}
	if in.CheckpointDir != "" {
		if err := os.MkdirAll(in.CheckpointDir, 0o755); err != nil {
			log.Warn("cannot create the checkpoint directory; a restart will start every stanza afresh", "dir", in.CheckpointDir, "error", err)
		} else {
			opts.Checkpoints = engine.DirCheckpoints{Dir: in.CheckpointDir}
		}
	}
	e, problems := engine.Prepare(cfg.Samples, opts)
	for _, pr := range problems {
		supervise.LogProblem(log, pr)
	}
	board := status.New(log)
	board.Configure(cfg, problems)
	now := time.Now()
	for _, st := range e.Stanzas() {
		logWillGenerate(log, st, now)
	}
	if len(e.Stanzas()) == 0 {
		// Stay up rather than exit: splunkd would restart us every
		// interval and repeat the same messages; and a stanza enabled
		// later (in Splunk Web) starts at the next poll.
		log.Warn("nothing to generate: no eventgen.conf stanza can run (see the messages above); enable or fix a stanza: "+pollHint(poll), "stanzas_skipped", len(cfg.Skipped))
	}
	if poll > 0 {
		log.Info("watching eventgen.conf for changes", "every_s", poll.Seconds())
	}

	runErr := supervise.Run(ctx, e, cfg, supervise.Options{Log: log, Board: board, Poll: poll, Reload: src.reload,
		Stats: statsEvery, Check: statusCheck, WillGenerate: func(st *engine.Stanza) { logWillGenerate(log, st, time.Now()) }})
	switch {
	case runErr == nil:
		log.Info("modinput_eventgen stopped")
		return 0
	case errors.Is(runErr, syscall.EPIPE) || errors.Is(runErr, os.ErrClosed):
		log.Info("stdout was closed by the reader (splunkd stopped?); stopping", "error", runErr)
		return 0
	default:
		log.Error("generation failed", "error", runErr)
		return 1
	}
}

func pollHint(poll time.Duration) string {
	if poll > 0 {
		return fmt.Sprintf("changes apply within %g s", poll.Seconds())
	}
	return "then disable and enable the input (config_poll_interval = 0: eventgen.conf is read only at start)"
}

func logWillGenerate(log *slog.Logger, st *engine.Stanza, now time.Time) {
	s := st.Sample
	log.Info("stanza will generate", "stanza", s.Name(), "sample", s.Path, "generator", s.Generator, "output", s.OutputMode,
		"events_per_interval", st.Estimate(now), "interval_s", s.Interval, "index", s.Index, "sourcetype", s.Sourcetype)
}

// configSource reads eventgen.conf the way the run started: from splunkd's
// REST API, or from disk when REST could not be used.
type configSource struct {
	in      *splunk.Input
	home    string
	log     *slog.Logger
	useREST bool
}

// load reads the configuration at start, falling back to disk.
func (c *configSource) load(ctx context.Context) *config.Result {
	sources, rest := loadSources(ctx, c.in, c.home, c.log)
	c.useREST = rest
	return c.result(sources, true)
}

// reload reads it again for a poll; nil when it cannot be read, so that
// what runs keeps running (a REST hiccup must not stop every stanza).
func (c *configSource) reload(ctx context.Context) *config.Result {
	if !c.useREST {
		sources, problems, err := splunk.DiskSources(c.home)
		if err != nil || len(problems) > 0 {
			c.log.Warn("cannot re-read eventgen.conf from disk; keeping the running configuration", "error", errors.Join(append(problems, err)...))
			return nil
		}
		return c.result(sources, false)
	}
	cl, err := splunk.NewClient(c.in.ServerURI, c.in.SessionKey, c.log)
	if err != nil {
		c.log.Warn("cannot re-read eventgen.conf from splunkd REST; keeping the running configuration", "error", err)
		return nil
	}
	rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	apps, err := cl.EventgenConf(rctx)
	if err != nil {
		if ctx.Err() == nil {
			c.log.Warn("cannot re-read eventgen.conf from splunkd REST; keeping the running configuration", "error", err)
		}
		return nil
	}
	return c.result(splunk.Sources(c.home, apps), false)
}

// result loads the samples; first is the load at start, the one that
// explains itself in the log (polls log only what changed).
func (c *configSource) result(sources []config.Source, first bool) *config.Result {
	res := config.Load(sources, config.Options{Outputs: engine.Outputs(), OutputFallback: "modinput", Generators: generate.Available()})
	for _, s := range res.Samples {
		// splunkstream sends to a splunkd; inside Splunk, with no other
		// splunkHost, that is this one: the modular input's own stream
		// reaches it directly (Eventgen 7.2.1 did the same).
		if s.OutputMode == "splunkstream" && strings.TrimSpace(s.Values["splunkHost"].Text) == "" {
			if first {
				c.log.Info("outputMode splunkstream without splunkHost: streaming to this Splunk through the modular input", "stanza", s.Name())
			}
			s.OutputMode = "modinput"
		}
	}
	return res
}

// loadSources reads eventgen.conf from splunkd's REST API, falling back
// to the files on disk when REST cannot be used.
func loadSources(ctx context.Context, in *splunk.Input, home string, log *slog.Logger) (sources []config.Source, rest bool) {
	if in.ServerURI != "" && in.SessionKey != "" {
		c, err := splunk.NewClient(in.ServerURI, in.SessionKey, log)
		if err == nil {
			rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			apps, err := c.EventgenConf(rctx)
			cancel()
			if err == nil {
				n := 0
				for _, a := range apps {
					n += len(a.Stanzas)
				}
				log.Info("read eventgen.conf from splunkd REST", "apps", len(apps), "stanzas", n)
				return splunk.Sources(home, apps), true
			}
			var he *splunk.HTTPError
			if errors.As(err, &he) && he.Status == 401 {
				log.Error("splunkd rejected the session key when reading configs/conf-eventgen; reading eventgen.conf files from disk instead", "error", err)
			} else {
				log.Warn("cannot read eventgen.conf from splunkd REST; reading the files from disk instead", "error", err)
			}
		} else {
			log.Warn("cannot use splunkd REST; reading eventgen.conf files from disk instead", "error", err)
		}
	} else {
		log.Warn("no server_uri or session_key on stdin; reading eventgen.conf files from disk")
	}
	sources, problems, err := splunk.DiskSources(home)
	for _, pr := range problems {
		log.Error("skipping an eventgen.conf that cannot be read", "error", pr)
	}
	if err != nil {
		log.Error("cannot read eventgen.conf files from disk", "splunk_home", home, "error", err)
	}
	log.Info("read eventgen.conf from disk", "splunk_home", home, "files", len(sources))
	return sources, false
}

// inputShard is the input's shard argument, or EVENTGEN_SHARD when it has
// none. --validate-arguments refuses a wrong one when the input is saved
// in Splunk Web, but inputs.conf can be edited by hand: then the error.
func inputShard(p *proc, in *splunk.Input, log *slog.Logger, input string) (shard.Shard, error) {
	v, from := "", "shard"
	if len(in.Stanzas) > 0 {
		v = strings.TrimSpace(in.Stanzas[0].Params["shard"])
	}
	if v == "" {
		v, from = strings.TrimSpace(p.env(shard.Env)), shard.Env
	}
	if v == "" {
		return shard.Shard{}, nil
	}
	sh, err := shard.Parse(v)
	if err != nil {
		return sh, fmt.Errorf("%s: %w", from, err)
	}
	if !sh.Whole() {
		log.Info("generating a share of every stanza", "input", input, "shard", sh.String(), "from", from)
	}
	return sh, nil
}
