package settings

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

// Section groups settings in eventgen.conf.spec.
type Section struct {
	Title    string
	Intro    string
	Settings []Setting
}

// The owners that are not plugins.
const (
	Engine = "engine" // every stanza: scheduling, volume, metadata
	Python = "python" // tuning of the Python Eventgen: no effect here
)

// Outputs that read the HEC settings.
var hecOutputs = []string{"httpevent", "metric_httpevent"}

// schema is every eventgen.conf key (eventgen-inventory.md §1.4, plus
// this project's), declared once. Order is the spec's.
var schema = []Section{
	{Title: "Turning samples on and off", Settings: []Setting{
		{Name: "disabled", Builtin: true, Kind: Bool, Default: "false", Scope: Stanza, Owners: own(Engine), Eventgen: true,
			Doc: "Whether this stanza generates nothing. SA-Eventgen's own demo stanzas ship disabled."},
	}},
	{Title: "Sample files", Settings: []Setting{
		{Name: "sampleDir", Kind: Path, Owners: own(Engine), Eventgen: true, Example: "samples",
			Doc: "The folder holding the sample files, relative to the eventgen.conf that sets it. Default: the app's samples/ folder."},
		{Name: "sampletype", Builtin: true, Kind: Enum, Default: "raw", Values: []string{"raw", "csv"}, Owners: own(Engine), Eventgen: true,
			Doc: "raw: the sample is text, cut into events by breaker. csv: a CSV export whose _raw column is the event and whose index, host, source and sourcetype columns, when present, are each event's metadata."},
		{Name: "breaker", Builtin: true, Kind: Regex, Default: `[^\r\n\s]+`, Owners: own(Engine), Eventgen: true, Example: `^\d{4}-\d\d-\d\d`,
			Doc: "A regex matching the start of each event in a raw sample; the default makes every non-blank line an event."},
	}},
	{Title: "How events are generated", Settings: []Setting{
		{Name: "mode", Builtin: true, Kind: Enum, Default: "sample", Values: []string{"sample", "replay"}, Owners: own(Engine), Eventgen: true,
			Doc: "sample: count events per interval, drawn from the sample. replay: the sample's events in order, with their original time gaps."},
		{Name: "generator", Builtin: true, Kind: String, Default: "default", Values: []string{"default", "replay", "windbag", "counter", "weblog", "jinja", "perdayvolumegenerator"}, Owners: own(Engine), Eventgen: true,
			Doc: "The generator plugin: default (from the sample file), replay, windbag, counter, weblog or jinja; perdayvolumegenerator is the default generator run to perDayVolume."},
		{Name: "rater", Builtin: true, Kind: String, Default: "config", Values: []string{"config"}, Owners: own(Engine), Eventgen: true,
			Doc: "How the count of each interval is decided: config (count, rate tables, randomizeCount, perDayVolume)."},
		{Name: "count", Builtin: true, Kind: Int, Default: "-1", Min: -1, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "10",
			Doc: "Events per interval; -1 or 0: every event of the sample once."},
		{Name: "interval", Builtin: true, Kind: Int, Default: "60", Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "30",
			Doc: "Seconds between intervals; 0 generates once. For replay, the pause between passes (default 0)."},
		{Name: "delay", Builtin: true, Kind: Seconds, Default: "0", Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "1.5",
			Doc: "Seconds to wait before the first interval."},
		{Name: "end", Kind: String, Owners: own(Engine), Eventgen: true, Example: "5",
			Doc: "When to stop: a number of intervals (-1 never, 0 nothing), or a time (absolute or Splunk relative)."},
		{Name: "earliest", Builtin: true, Kind: Relative, Default: "now", Owners: own(Engine), Eventgen: true, Example: "-15m",
			Doc: "The earliest event time of an interval, relative to the interval's time."},
		{Name: "latest", Builtin: true, Kind: Relative, Default: "now", Owners: own(Engine), Eventgen: true, Example: "now",
			Doc: "The latest event time of an interval, relative to the interval's time."},
		{Name: "backfill", Kind: Relative, Owners: own(Engine), Eventgen: true, Example: "-1h",
			Doc: "Generate the intervals from this time before the start, as fast as possible, then continue in real time."},
		{Name: "randomizeCount", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "0.2",
			Doc: "Varies each interval's count randomly by up to this fraction (0.2 = ±10%)."},
		{Name: "randomizeEvents", Builtin: true, Kind: Bool, Default: "false", Owners: own(Engine), Eventgen: true,
			Doc: "Draw the interval's events at random from the sample instead of in order."},
		{Name: "bundlelines", Kind: Bool, Owners: own(Engine), Eventgen: true,
			Doc: "The whole sample is one event (multi-line), repeated count times."},
		{Name: "sequentialTimestamp", Kind: Bool, Owners: own(Engine), Eventgen: true,
			Doc: "Spread the interval's event times evenly from earliest to latest, in order."},
		{Name: "timezone", Kind: Timezone, Owners: own(Engine), Eventgen: true, Example: "-0500",
			Doc: "The timezone timestamps are written in: local, +hhmm/-hhmm or an IANA name."},
		{Name: "timeMultiple", Builtin: true, Kind: Float, Default: "1", Min: 0, HasMin: true, Owners: own("replay"), Eventgen: true, Example: "2",
			Doc: "Replay: the sample's gaps are multiplied by this (2 = twice as long); must be above 0."},
		{Name: "timeField", Builtin: true, Kind: String, Default: "_raw", Owners: own("replay"), Eventgen: true, Example: "_time",
			Doc: "Replay: the CSV column holding each event's original time (default _raw: the timestamp token's match)."},
		{Name: "perDayVolume", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "1.5",
			Doc: "GiB of _raw per day, spread over the intervals, exact over a day."},
		{Name: "eps", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Example: "100",
			Doc: "Events per second (beyond Eventgen); at most one of perDayVolume, eps and kbps."},
		{Name: "kbps", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Example: "64",
			Doc: "KiB of _raw per second (beyond Eventgen); at most one of perDayVolume, eps and kbps."},
		{Name: "hourOfDayRate", Kind: JSON, Check: rateTable(0, 23), Owners: own(Engine), Eventgen: true, Example: `{"0": 0.5, "12": 1.5}`,
			Doc: "Count multipliers by hour of the day (0-23), a JSON object of numbers; a missing hour counts as 1."},
		{Name: "dayOfWeekRate", Kind: JSON, Check: rateTable(0, 6), Owners: own(Engine), Eventgen: true, Example: `{"0": 0.5, "6": 0.5}`,
			Doc: "Count multipliers by day of the week (0 = Sunday to 6)."},
		{Name: "minuteOfHourRate", Kind: JSON, Check: rateTable(0, 59), Owners: own(Engine), Eventgen: true, Example: `{"0": 2}`,
			Doc: "Count multipliers by minute of the hour (0-59)."},
		{Name: "dayOfMonthRate", Kind: JSON, Check: rateTable(1, 31), Owners: own(Engine), Eventgen: true, Example: `{"1": 3}`,
			Doc: "Count multipliers by day of the month (1-31)."},
		{Name: "monthOfYearRate", Kind: JSON, Check: rateTable(1, 12), Owners: own(Engine), Eventgen: true, Example: `{"12": 2}`,
			Doc: "Count multipliers by month (1-12)."},
		{Name: "autotimestamp", Builtin: true, Kind: Bool, Default: "false", Owners: own(Engine), Eventgen: true, Status: Unavailable,
			Doc: "Find timestamps in samples without a timestamp token and replace them. Not available in this version: the timestamps are left as they are (a warning says so)."},
		{Name: "autotimestamps", Builtin: true, Kind: JSON, Check: jsonList, Owners: own(Engine), Eventgen: true, Status: Unavailable, Example: `[["\\d{4}-\\d{2}-\\d{2}", "%Y-%m-%d"]]`,
			Default: builtinAutotimestamps,
			Doc:     "The [regex, strftime] pairs autotimestamp looks for, as a JSON list."},
		{Name: "extendIndexes", Kind: String, Owners: own(Engine), Eventgen: true, Example: "test_:3, main",
			Doc: "Spread events over these indexes: a comma list, where prefix:N stands for prefix0 to prefixN-1."},
		{Name: "seed", Kind: Int, Scope: Global, Owners: own(Engine), Example: "42",
			Doc: "Random seed of the whole run: the same seed, configuration and start time give the same events (beyond Eventgen)."},
	}},
	{Title: "Event metadata", Settings: []Setting{
		{Name: "index", Builtin: true, Kind: String, Default: "main", Owners: own(Engine), Eventgen: true, Doc: "The events' index."},
		{Name: "host", Builtin: true, Kind: String, Default: "127.0.0.1", Owners: own(Engine), Eventgen: true, Doc: "The events' host."},
		{Name: "source", Kind: String, Owners: own(Engine), Eventgen: true, Doc: "The events' source. Default: the sample file's name."},
		{Name: "sourcetype", Builtin: true, Kind: String, Default: "eventgen", Owners: own(Engine), Eventgen: true, Doc: "The events' sourcetype."},
		{Name: "hostRegex", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream: a regex whose match in _raw is sent as the event's host."},
	}},
	{Title: "Outputs", Settings: []Setting{
		{Name: "outputMode", Builtin: true, Kind: Enum, Default: "modinput", Values: []string{"modinput", "stdout", "devnull", "file", "spool", "splunkstream", "httpevent", "metric_httpevent", "syslogout", "tcpout", "udpout", "s2s", "awss3", "scsout", "counter"},
			Owners: own(Engine), Eventgen: true, Doc: "Where events go: modinput (splunkd's stream), stdout, devnull, file, spool, httpevent, metric_httpevent, splunkstream, syslogout, tcpout or udpout."},
		{Name: "outputQueueBytes", Kind: Int, Min: 1, HasMin: true, Owners: own(Engine), Example: "1048576",
			Doc: "The bound, in bytes, of the queue between generation and the output: when the output is slower, generation waits (beyond Eventgen)."},
		{Name: "spoolDir", Builtin: true, Kind: Path, Default: "$SPLUNK_HOME/var/spool/splunk", Owners: own("spool", "file"), Eventgen: true, Doc: "spool: the folder spool files are written to (and file's folder when fileName is not set)."},
		{Name: "spoolFile", Builtin: true, Kind: String, Default: "<SAMPLE>", Owners: own("spool", "file"), Eventgen: true, Doc: "spool: the file name; <SAMPLE> is the sample file's name."},
		{Name: "fileName", Kind: Path, Owners: own("file"), Eventgen: true, Example: "/tmp/events.log", Doc: "file: the file events are appended to."},
		{Name: "fileMaxBytes", Builtin: true, Kind: Int, Default: "10485760", Min: 1, HasMin: true, Owners: own("file"), Eventgen: true, Doc: "file: rotate the file when it would pass this size."},
		{Name: "fileBackupFiles", Builtin: true, Kind: Int, Default: "5", Min: 0, HasMin: true, Owners: own("file"), Eventgen: true, Doc: "file: rotated files kept."},
		{Name: "splunkHost", Kind: Host, Owners: own("splunkstream"), Eventgen: true, Example: "127.0.0.1", Doc: "splunkstream: the splunkd host (one host)."},
		{Name: "splunkPort", Builtin: true, Kind: Port, Default: "8089", Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream: splunkd's management port."},
		{Name: "splunkMethod", Builtin: true, Kind: Enum, Default: "https", Values: []string{"https", "http"}, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream: http or https."},
		{Name: "splunkUser", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream: user to log in with (outside Splunk)."},
		{Name: "splunkPass", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream: that user's password."},
		{Name: "splunkInsecure", Kind: Bool, Default: "false", Owners: own("splunkstream"), Doc: "splunkstream: skip TLS certificate verification (beyond Eventgen; always skipped for a loopback host)."},
		{Name: "httpeventServers", Kind: JSON, Check: hecServers, Owners: hecOutputs, Eventgen: true,
			Example: `{"servers":[{"protocol":"https","address":"127.0.0.1","port":"8088","key":"00000000-0000-0000-0000-000000000000"}]}`,
			Doc:     `httpevent: the HEC servers, as {"servers":[{"protocol":"https","address":"splunk.example.com","port":"8088","key":"<HEC token>"}]}.`},
		{Name: "httpeventOutputMode", Kind: Enum, Default: "roundrobin", Values: []string{"roundrobin", "mirror"}, Owners: hecOutputs, Eventgen: true,
			Doc: "httpevent: roundrobin (one server per request, in turn) or mirror (every request to every server)."},
		{Name: "httpeventMaxPayloadSize", Kind: Int, Default: "10000", Min: 1, HasMin: true, Owners: hecOutputs, Eventgen: true, Example: "1048576",
			Doc: "httpevent: bytes of events per request; an event larger than that goes alone."},
		{Name: "httpeventWaitResponse", Builtin: true, Kind: Bool, Default: "true", Owners: hecOutputs, Eventgen: true,
			Doc: "httpevent: true sends one request at a time; false keeps up to 4 in flight."},
		{Name: "httpeventGzip", Kind: Bool, Default: "false", Owners: hecOutputs, Doc: "httpevent: gzip request bodies (beyond Eventgen)."},
		{Name: "httpeventEndpoint", Kind: Enum, Default: "event", Values: []string{"event", "raw"}, Owners: hecOutputs,
			Doc: "httpevent: event (/services/collector/event, JSON envelopes) or raw (/services/collector/raw); metric_httpevent needs event (beyond Eventgen)."},
		{Name: "httpeventAck", Kind: Bool, Default: "false", Owners: hecOutputs, Doc: "httpevent: indexer acknowledgement: resend what the indexers did not acknowledge (beyond Eventgen)."},
		{Name: "httpeventAckTimeout", Kind: Seconds, Default: "60", Min: 0.001, HasMin: true, Max: 1e6, HasMax: true, Owners: hecOutputs,
			Doc: "httpevent: seconds before an unacknowledged request is resent (beyond Eventgen)."},
		{Name: "httpeventInsecure", Kind: Bool, Default: "false", Owners: hecOutputs, Doc: "httpevent: skip TLS certificate verification (beyond Eventgen)."},
		{Name: "httpeventDropPolicy", Kind: Enum, Default: "none", Values: []string{"none", "drop"}, Owners: hecOutputs,
			Doc: "httpevent: none retries while the receivers are down (generation waits); drop drops and counts what failed after retries (beyond Eventgen)."},
		{Name: "httpeventAllowFailureCount", Kind: Int, Owners: hecOutputs, Eventgen: true, Status: Ignored,
			Doc: "Eventgen's failure budget; here retries back off and nothing is lost, so it has no effect."},
		{Name: "syslogDestinationHost", Kind: Host, Default: "127.0.0.1", Owners: own("syslogout"), Eventgen: true, Doc: "syslogout: the receiver's host."},
		{Name: "syslogDestinationPort", Kind: Port, Default: "1514", Owners: own("syslogout"), Eventgen: true, Doc: "syslogout: the receiver's port."},
		{Name: "syslogAddHeader", Kind: Bool, Default: "false", Owners: own("syslogout"), Eventgen: true, Doc: "syslogout: add the RFC 3164 header (time, host, tag)."},
		{Name: "syslogProtocol", Kind: Enum, Default: "udp", Values: []string{"udp", "tcp"}, Owners: own("syslogout"), Doc: "syslogout: udp or tcp (beyond Eventgen)."},
		{Name: "syslogFormat", Kind: Enum, Default: "rfc3164", Values: []string{"rfc3164", "rfc5424"}, Owners: own("syslogout"), Doc: "syslogout: rfc3164 or rfc5424 (beyond Eventgen)."},
		{Name: "syslogFraming", Kind: Enum, Default: "lf", Values: []string{"lf", "octet"}, Owners: own("syslogout"), Doc: "syslogout over TCP: lf (line feed) or octet (octet counting, RFC 6587) (beyond Eventgen)."},
		{Name: "syslogFacility", Kind: String, Default: "user", Check: syslogCheck(syslogFacilities, 23), Owners: own("syslogout"), Doc: "syslogout: the facility, by name or number (beyond Eventgen)."},
		{Name: "syslogSeverity", Kind: String, Default: "info", Check: syslogCheck(syslogSeverities, 7), Owners: own("syslogout"), Doc: "syslogout: the severity, by name or number (beyond Eventgen)."},
		{Name: "syslogAppName", Kind: String, Default: "eventgen", Check: syslogApp, Owners: own("syslogout"), Doc: "syslogout: the RFC 3164 tag and RFC 5424 APP-NAME (beyond Eventgen)."},
		{Name: "tcpDestinationHost", Kind: Host, Default: "127.0.0.1", Owners: own("tcpout"), Eventgen: true, Doc: "tcpout: the receiver's host."},
		{Name: "tcpDestinationPort", Kind: Port, Default: "3333", Owners: own("tcpout"), Eventgen: true, Doc: "tcpout: the receiver's port."},
		{Name: "udpDestinationHost", Kind: Host, Default: "127.0.0.1", Owners: own("udpout"), Eventgen: true, Doc: "udpout: the receiver's host."},
		{Name: "udpDestinationPort", Kind: Port, Default: "3333", Owners: own("udpout"), Eventgen: true, Doc: "udpout: the receiver's port."},
		{Name: "sessionKey", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream: a splunkd session key (given by splunkd to a modular input)."},
	}},
	{Title: "Outputs this version does not have", Intro: "Read and reported; a stanza that uses them does not generate (inside Splunk its events go to the modular input's stream instead).", Settings: []Setting{
		{Name: "awsS3BucketName", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: the bucket."},
		{Name: "awsS3CompressionType", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: compression."},
		{Name: "awsS3EventType", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: event type."},
		{Name: "awsS3ObjectPrefix", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: object name prefix."},
		{Name: "awsS3ObjectSuffix", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: object name suffix."},
		{Name: "awsRegion", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: region."},
		{Name: "awsKeyId", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: key id."},
		{Name: "awsSecretKey", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: secret key."},
		{Name: "awsS3EventPerKey", Kind: Int, Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3: events per object."},
		{Name: "scsEndPoint", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout: endpoint."},
		{Name: "scsAccessToken", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout: access token."},
		{Name: "scsClientId", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout: client id."},
		{Name: "scsClientSecret", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout: client secret."},
		{Name: "scsRetryNum", Kind: Int, Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout: retries."},
		{Name: "backfillSearch", Scope: Stanza, Owners: own(Engine), Eventgen: true, Status: Ignored, Doc: "Eventgen searched Splunk for the newest event before backfilling; here backfill always starts at backfill."},
		{Name: "backfillSearchUrl", Scope: Stanza, Owners: own(Engine), Eventgen: true, Status: Ignored, Doc: "See backfillSearch."},
	}},
	{Title: "Generator settings", Settings: []Setting{
		{Name: "jinja_template_dir", Kind: Path, Owners: own("jinja"), Eventgen: true, Example: "templates", Doc: "jinja: the templates' folder, relative to the samples folder."},
		{Name: "jinja_target_template", Kind: String, Owners: own("jinja"), Eventgen: true, Example: "main.template", Doc: "jinja: the template rendered for each event."},
		{Name: "jinja_variables", Kind: JSON, Check: jsonObject, Owners: own("jinja"), Eventgen: true, Example: `{"n": 3}`, Doc: "jinja: variables given to the template, a JSON object."},
		{Name: "jinja_count_type", Kind: Enum, Values: []string{"line_count", "cycles", "perDayVolume"}, Owners: own("jinja"), Eventgen: true, Doc: "jinja: what count counts: line_count, cycles or perDayVolume."},
		{Name: "count_template", Owners: own("counter"), Eventgen: true, Doc: "counter: the event text, with {count} for the counter."},
		{Name: "start_count", Owners: own("counter"), Eventgen: true, Doc: "counter: the first value."},
		{Name: "end_count", Owners: own("counter"), Eventgen: true, Doc: "counter: the last value."},
		{Name: "count_by", Owners: own("counter"), Eventgen: true, Doc: "counter: the step."},
	}},
	{Title: "Settings of the Python Eventgen with no effect here", Intro: "They tuned the Python implementation (threads, queues, profiling); they are accepted and ignored.", Settings: []Setting{
		ignoredBuiltin("debug", "false"), ignoredBuiltin("verbosity", "false"), ignoredBuiltin("threading", "thread"), ignoredBuiltin("profiler", "false"),
		ignoredBuiltin("generatorWorkers", "1"), ignoredBuiltin("outputWorkers", "1"), ignoredBuiltin("maxIntervalsBeforeFlush", "3"),
		ignoredBuiltin("maxQueueLength", "0"), ignoredBuiltin("useOutputQueue", "false"), ignoredBuiltin("disableLoggingQueue", "true"),
		ignored("outputCounter", ""), ignoredBuiltin("splitSample", "0"), ignored("blacklist", ""), ignored("projectID", ""),
		ignored("accessToken", ""),
	}},
}

func own(o ...string) []string { return o }

func ignored(name, def string) Setting {
	return Setting{Name: name, Default: def, Owners: own(Python), Eventgen: true, Status: Ignored,
		Doc: "Tuned the Python Eventgen; no effect here."}
}

func ignoredBuiltin(name, def string) Setting {
	s := ignored(name, def)
	s.Builtin = true
	return s
}

var byName = func() map[string]*Setting {
	m := map[string]*Setting{}
	for i := range schema {
		for j := range schema[i].Settings {
			s := &schema[i].Settings[j]
			if _, dup := m[s.Name]; dup {
				panic("settings: " + s.Name + " declared twice")
			}
			m[s.Name] = s
		}
	}
	return m
}()

// Lookup returns the declaration of a key.
func Lookup(name string) (*Setting, bool) {
	s, ok := byName[name]
	return s, ok
}

// All returns every declared setting, in the spec's order.
func All() []*Setting {
	var out []*Setting
	for i := range schema {
		for j := range schema[i].Settings {
			out = append(out, &schema[i].Settings[j])
		}
	}
	return out
}

// Sections returns the schema grouped as the spec shows it.
func Sections() []Section { return slices.Clone(schema) }

// Suggest returns the declared setting closest to key, for typo hints,
// or "".
func Suggest(key string) string {
	best, bestD := "", 3
	lk := strings.ToLower(key)
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.ToLower(n) == lk {
			return n
		}
		if d := distance(lk, strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance of two short strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Checks that the kinds cannot express.

// RateTable parses a rate table: a JSON object of numbers ≥ 0 keyed by
// whole numbers from lo to hi.
func RateTable(text string, lo, hi int) (map[int]float64, error) {
	var raw map[string]float64
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, fmt.Errorf("not a JSON object of numbers, as in { \"0\": 0.5, \"1\": 1.0 }: %v", err)
	}
	m := make(map[int]float64, len(raw))
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x := raw[k]
		n, err := strconv.Atoi(strings.TrimSpace(k))
		if err != nil || n < lo || n > hi {
			return nil, fmt.Errorf("key %q is not a whole number from %d to %d", k, lo, hi)
		}
		if x < 0 {
			return nil, fmt.Errorf("rate for %q is negative (%v)", k, x)
		}
		m[n] = x
	}
	return m, nil
}

func rateTable(lo, hi int) func(string) error {
	return func(text string) error { _, err := RateTable(text, lo, hi); return err }
}

func jsonList(text string) error {
	var x []any
	if err := json.Unmarshal([]byte(text), &x); err != nil {
		return fmt.Errorf("not a JSON list: %v", err)
	}
	return nil
}

func jsonObject(text string) error {
	var x map[string]any
	if err := json.Unmarshal([]byte(text), &x); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	return nil
}

// BuiltinName is the file name of the built-in defaults in messages.
const BuiltinName = "(built-in defaults)"

// BuiltinGlobal returns Eventgen's built-in [global] stanza: the
// settings marked Builtin with their defaults. Every [global] and stanza
// setting layers on top of it.
func BuiltinGlobal() *conf.File {
	st := &conf.Stanza{Name: "global", File: BuiltinName, Values: map[string]conf.Value{}}
	for _, s := range All() {
		if s.Builtin {
			st.Keys = append(st.Keys, s.Name)
			st.Values[s.Name] = conf.Value{Text: s.Default, File: BuiltinName}
		}
	}
	return &conf.File{Name: BuiltinName, Stanzas: []*conf.Stanza{st}}
}
