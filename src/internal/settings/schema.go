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
	// PytestSplunkAddon: settings of pytest-splunk-addon's tests, accepted
	// with no effect on generation.
	PytestSplunkAddon = "pytest-splunk-addon"
)

// Outputs that read the HEC settings.
var hecOutputs = []string{"httpevent", "metric_httpevent"}

// schema is every eventgen.conf key (eventgen-inventory.md §1.4, plus
// this project's), declared once. Order is the spec's.
var schema = []Section{
	{Title: "Turning samples on and off", Settings: []Setting{
		{Name: "disabled", Builtin: true, Kind: Bool, Default: "false", Scope: Stanza, Owners: own(Engine), Eventgen: true,
			Doc: "Whether this stanza generates nothing.\nSA-Eventgen's own demo stanzas ship disabled. To try one, copy its stanza header to SA-Eventgen/local/eventgen.conf with disabled set to false.\nBooleans are written 1/0, true/false, yes/no, on/off or t/f, in any case. Anything else is an error (Eventgen 7.2.1 took every unknown word as true)."},
	}},
	{Title: "Where samples come from", Settings: []Setting{
		{Name: "sampleDir", Kind: Path, Owners: own(Engine), Eventgen: true, Example: "samples",
			Doc: "The directory holding the sample file(s) this stanza generates from.\nA relative path is relative to the directory of the eventgen.conf file that sets it (so \"../samples\" from default/ is the app's samples folder).\n$VARIABLES such as $SPLUNK_HOME are expanded from the environment.\nOnly the directory itself is searched, not its subdirectories.\nDefault: the samples folder of the app that holds the eventgen.conf."},
		{Name: "sampletype", Builtin: true, Kind: Enum, Default: "raw", Values: []string{"raw", "csv"}, Owners: own(Engine), Eventgen: true,
			Doc: "How the sample file is read.\nraw: the file is text; events are separated by \"breaker\".\ncsv: the file is a CSV table with a header row. The \"_raw\" column is the event text. The columns index, host, source and sourcetype, when present, set those fields for the row's event; other columns are kept (see timeField)."},
		{Name: "breaker", Builtin: true, Kind: Regex, Default: `[^\r\n\s]+`, Owners: own(Engine), Eventgen: true, Example: `^\d{4}-\d\d-\d\d`,
			Doc: "How a raw sample is cut into events. Not related to props.conf LINE_BREAKER.\nWith the default value every non-blank line is an event.\nWith any other value, every match of the regular expression starts a new event, so a multi-line event (a Windows event log, a stack trace) stays one event. Text before the first match is an event of its own.\nRegular expressions here and in token.<n>.token use Python syntax: look-around, back-references and (?P<name>...) groups work."},
	}},
	{Title: "How much, how often and when", Settings: []Setting{
		{Name: "mode", Builtin: true, Kind: Enum, Default: "sample", Values: []string{"sample", "replay"}, Owners: own(Engine), Eventgen: true, Lenient: true,
			Doc: "sample: every interval, pick \"count\" events of the sample and give them new times and values.\nreplay: play the sample back with the gaps between its original timestamps (see timeMultiple and timeField). The stanza needs a timestamp or replaytimestamp token whose replacement is the format of the sample's timestamps, or timeField naming a CSV column. Each pass starts at the current time; interval is the pause between passes.\nAny other value is warned about and read as sample."},
		{Name: "generator", Builtin: true, Kind: String, Default: "default", Values: []string{"default", "replay", "windbag", "counter", "weblog", "jinja", "perdayvolumegenerator"}, Owners: own(Engine), Eventgen: true,
			Doc: "The plugin that produces events.\ndefault: events from the sample file, as described by the settings here.\nreplay: the same as mode = replay.\nperdayvolumegenerator: the default generator (set perDayVolume).\nwindbag: needs no sample file; emits \"count\" numbered test events per interval.\ncounter: numbered events from start_count to end_count (see count_template).\nweblog: random web access log lines, without a sample file.\njinja: renders a Jinja template (see jinja_template_dir).\nAny other name (a custom Python plugin of Eventgen 7.2.1) is not available in this version: the stanza is skipped."},
		{Name: "rater", Builtin: true, Kind: String, Default: "config", Values: []string{"config", "perdayvolume", "counter", "backfill"}, Owners: own(Engine), Eventgen: true,
			Doc: "The plugin that decides how many events each interval produces. Eventgen 7.2.1's raters are accepted:\nconfig: \"count\" (or the volume of perDayVolume, eps or kbps) multiplied by randomizeCount and the *Rate tables.\nperdayvolume: the same, for stanzas that set perDayVolume (Eventgen chose it by itself when perDayVolume was set). Without perDayVolume, count applies, with a warning (Eventgen 7.2.1 failed).\ncounter: the same as config (the rater of the counter generator in Eventgen).\nbackfill: the same as config; the past is generated from the backfill setting, which every rater honours here. Without backfill, a warning says it has no effect.\nAny other name (a custom Python rater plugin) is not available: a warning says so and the config rater is used."},
		{Name: "count", Builtin: true, Kind: Int, Default: "-1", Min: -1, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "10",
			Doc: "How many events to generate per interval, before rating.\n-1 or 0: every event of the sample, once (Eventgen 7.2.1 generated nothing for 0).\nA number larger than the sample repeats the sample's events in order.\nA smaller number takes the first \"count\" events, unless randomizeEvents is true."},
		{Name: "interval", Builtin: true, Kind: Int, Default: "60", Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "30",
			Doc: "Seconds between two generations of this stanza.\n0: generate once, then stop this stanza.\nIn replay mode: the pause between two passes over the sample.\nDefault: 60 (0 in replay mode: the next pass follows at once)"},
		{Name: "delay", Builtin: true, Kind: Seconds, Default: "0", Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "1.5",
			Doc: "Seconds to wait before the first generation of this stanza, to stagger stanzas that would otherwise fire together. Decimals are allowed."},
		{Name: "end", Kind: String, Owners: own(Engine), Eventgen: true, Example: "5",
			Doc: "When this stanza stops generating.\n-1: never. 0: do not generate at all. N: stop after N intervals.\nA time: stop at that time, either relative (+1h, +1d@d) or absolute (2024-03-05T00:00:00Z).\nDefault: not set (never stop)"},
		{Name: "earliest", Builtin: true, Kind: Relative, Default: "now", Owners: own(Engine), Eventgen: true, Example: "-15m",
			Doc: "The start of the window the events' times are drawn from, at each interval, relative to the interval's time.\nSplunk's relative time syntax: -15m, -1h@h, -1d@d+2h, @w1, now."},
		{Name: "latest", Builtin: true, Kind: Relative, Default: "now", Owners: own(Engine), Eventgen: true, Example: "now",
			Doc: "The end of that window, relative to the interval's time. Must not be before earliest."},
		{Name: "backfill", Kind: Relative, Owners: own(Engine), Eventgen: true, Example: "-1h",
			Doc: "On start, first generate the past from this time (for example -1h or -1d@d) up to now, interval by interval as fast as possible, then continue live with no gap or overlap.\nNeeds interval above 0."},
		{Name: "randomizeCount", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "0.2",
			Doc: "Vary the count of every interval at random, by up to half this fraction in either direction: 0.2 gives between 90% and 110% of count.\nDefault: not set (no variation)"},
		{Name: "randomizeEvents", Builtin: true, Kind: Bool, Default: "false", Owners: own(Engine), Eventgen: true,
			Doc: "true: choose each interval's events from the sample at random (with repetition) instead of in file order."},
		{Name: "bundlelines", Kind: Bool, Owners: own(Engine), Eventgen: true,
			Doc: "true: each interval writes \"count\" complete copies of the sample, in order, instead of \"count\" events. Each sample event stays its own event.\nDefault: false"},
		{Name: "sequentialTimestamp", Kind: Bool, Owners: own(Engine), Eventgen: true,
			Doc: "true: spread the events of an interval evenly from earliest to latest, in order, instead of at random times in that window (Eventgen 7.2.1 gave every event the earliest time).\nDefault: false"},
		{Name: "timezone", Kind: Timezone, Owners: own(Engine), Eventgen: true, Example: "-0500",
			Doc: "The time zone the timestamps are written in.\nlocal: the time zone of the host running Splunk.\nAn offset such as -0500 or +0530 (last two digits are minutes); 0000 is UTC.\nAn IANA name such as Europe/Paris (not in Eventgen 7.2.1).\nDefault: local"},
		{Name: "timeMultiple", Builtin: true, Kind: Float, Default: "1", Min: 0, HasMin: true, Owners: own("replay"), Eventgen: true, Example: "2",
			Doc: "replay mode only: multiply every gap between events by this factor (2 plays twice as slowly, 0.5 twice as fast). Must be above 0."},
		{Name: "timeField", Builtin: true, Kind: String, Default: "_raw", Owners: own("replay"), Eventgen: true, Example: "_time",
			Doc: "replay mode: the field holding each event's original timestamp; with a csv sample any column can be named. The default, _raw, reads the time from the match of the stanza's timestamp or replaytimestamp token."},
		{Name: "perDayVolume", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Eventgen: true, Example: "1.5",
			Doc: "Generate this many GiB of event text (_raw) per day instead of \"count\" events per interval: each interval gets its share, and what an interval could not fit is carried over to the next, so the total is exact over a day.\nThe *Rate tables and randomizeCount still apply.\nSet at most one of perDayVolume, eps and kbps."},
		{Name: "eps", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Example: "100",
			Doc: "Generate this many events per second on average (eps times interval per interval) instead of \"count\".\nSet at most one of perDayVolume, eps and kbps."},
		{Name: "kbps", Kind: Float, Min: 0, HasMin: true, Owners: own(Engine), Example: "64",
			Doc: "Generate this many KiB of event text (_raw) per second instead of \"count\".\nSet at most one of perDayVolume, eps and kbps."},
		{Name: "hourOfDayRate", Kind: JSON, Check: rateTable(0, 23), Owners: own(Engine), Eventgen: true, Example: `{"0": 0.5, "12": 1.5}`,
			Doc: "Multiplies count by the value for the current hour: a JSON object of numbers of 0 or more, keys \"0\" to \"23\".\nExample: { \"0\": 0.2, \"1\": 0.1, \"9\": 1.0, \"17\": 0.8 }\nA missing key multiplies by 1. All *Rate tables and randomizeCount multiply together."},
		{Name: "dayOfWeekRate", Kind: JSON, Check: rateTable(0, 6), Owners: own(Engine), Eventgen: true, Example: `{"0": 0.5, "6": 0.5}`,
			Doc: "Multiplies count by the value for the current weekday, keys \"0\" to \"6\", where \"0\" is Sunday (as in Splunk, not Python). A missing key multiplies by 1.\nExample: { \"0\": 0.5, \"1\": 1.0, \"6\": 0.6 }"},
		{Name: "minuteOfHourRate", Kind: JSON, Check: rateTable(0, 59), Owners: own(Engine), Eventgen: true, Example: `{"0": 2}`,
			Doc: "Multiplies count by the value for the current minute, keys \"0\" to \"59\". A missing key multiplies by 1."},
		{Name: "dayOfMonthRate", Kind: JSON, Check: rateTable(1, 31), Owners: own(Engine), Eventgen: true, Example: `{"1": 3}`,
			Doc: "Multiplies count by the value for the current day of the month, keys \"1\" to \"31\". A missing key multiplies by 1."},
		{Name: "monthOfYearRate", Kind: JSON, Check: rateTable(1, 12), Owners: own(Engine), Eventgen: true, Example: `{"12": 2}`,
			Doc: "Multiplies count by the value for the current month, keys \"1\" (January) to \"12\". A missing key multiplies by 1."},
		{Name: "autotimestamp", Builtin: true, Kind: Bool, Default: "false", Owners: own(Engine), Eventgen: true,
			Doc: "true: find the timestamps in the sample with the patterns of \"autotimestamps\", so no timestamp token has to be written. Each found pattern becomes a timestamp token (after the stanza's own tokens): its matches are rewritten to the generated time in the format they were written in, and replay reads the events' times through them.\nAs in Eventgen, the events are grouped by their punctuation; for the first event of each group the patterns are tried in order, and the first whose match parses with its format is taken (and not tried again). A csv sample with a _time column also gets a token for ISO times with milliseconds.\neventgen validate says which formats were found. For the default, perdayvolume and replay generators."},
		{Name: "autotimestamps", Builtin: true, Kind: JSON, Check: autotimestampPairs, Owners: own(Engine), Eventgen: true, Example: `[["\\d{4}-\\d{2}-\\d{2}", "%Y-%m-%d"]]`,
			Default: BuiltinAutotimestamps,
			Doc:     "The [regular expression, strptime/strftime format] pairs autotimestamp tries, in order, as a JSON list. The regex is searched in each event's text; its group 1 (or the whole match) is read with the format.\nDefault: the 23 pairs of Eventgen 7.2.1, in SA-Eventgen's default/eventgen.conf (syslog \"Feb 24 22:09:26\", ISO \"2017-08-14T23:20:57\", \"Feb 24 2017 22:09:26\", Apache \"24/Feb/2017:22:09:26\", epochs in \"timestamp\" and \"created\" JSON fields, ...)."},
		{Name: "extendIndexes", Kind: String, Owners: own(Engine), Eventgen: true, Example: "test_:3, main",
			Doc: "Spread events over several indexes: a comma-separated list of index names and <prefix>:<N> items, where <prefix>:<N> stands for the N indexes <prefix>0 to <prefix>N-1.\nOne index of the list is chosen at random for each batch of events."},
		{Name: "seed", Kind: Int, Scope: Global, Owners: own(Engine), Example: "42",
			Doc: "Makes the random choices repeatable: the same seed, configuration and start time give the same events with the same version of SA-Eventgen (each stanza has its own random stream, so adding a stanza does not change the others). A version may change the values a seed gives; docs/compatibility.md (Seeds) says when.\nDefault: not set (a new seed at every start)"},
	}},
	{Title: "Event fields", Settings: []Setting{
		{Name: "index", Builtin: true, Kind: String, Default: "main", Owners: own(Engine), Eventgen: true, Doc: "The index the events are written to.\nFor a csv sample, a row's index column wins."},
		{Name: "host", Builtin: true, Kind: String, Default: "127.0.0.1", Owners: own(Engine), Eventgen: true, Doc: "The host field of the events.\nFor a csv sample, a row's host column wins; host.token can rewrite it."},
		{Name: "source", Kind: String, Owners: own(Engine), Eventgen: true, Doc: "The source field of the events.\nFor a csv sample, a row's source column wins.\nDefault: the sample file's name"},
		{Name: "sourcetype", Builtin: true, Kind: String, Default: "eventgen", Owners: own(Engine), Eventgen: true, Doc: "The sourcetype field of the events.\nFor a csv sample, a row's sourcetype column wins."},
		{Name: "hostRegex", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream output: a regular expression whose match in the event text (_raw) is sent as the event's host."},
	}},
	{Title: "Outputs", Settings: []Setting{
		{Name: "outputMode", Builtin: true, Kind: Enum, Default: "modinput", Values: []string{"modinput", "stdout", "devnull", "file", "spool", "splunkstream", "httpevent", "metric_httpevent", "syslogout", "tcpout", "udpout", "s2s", "awss3", "scsout", "counter"},
			Owners: own(Engine), Eventgen: true, Doc: "Where the events go.\nmodinput: to splunkd, through the modular input (indexed with the index, host, source and sourcetype of each event). The normal choice in Splunk.\nstdout: standard output (for the eventgen command line tool).\ndevnull: nowhere (for load tests).\nfile: appended to fileName, rotated by size.\nspool: each interval written as a new file in spoolDir, which Splunk's spool input indexes (sinkhole: the file is deleted once read).\nsplunkstream: to splunkd's receivers/stream endpoint (see splunkHost).\nhttpevent and metric_httpevent: to HTTP Event Collectors (see httpeventServers).\nsyslogout, tcpout, udpout: to a syslog, TCP or UDP receiver.\nmodinput, stdout, devnull, file, spool, httpevent, metric_httpevent, splunkstream, syslogout, tcpout and udpout are implemented (the Splunk Cloud package has no network outputs); s2s, awss3, scsout and counter are not available. Inside Splunk, a stanza with an output the package lacks sends its events to modinput instead, with a warning (as Eventgen 7.2.1 did), and splunkstream without splunkHost streams to this Splunk; the eventgen command line tool skips the stanza."},
		{Name: "outputQueueBytes", Kind: Int, Min: 1, HasMin: true, Owners: own(Engine), Example: "1048576",
			Doc: "Bound, in bytes, of the queue between a stanza's generation and its output. When the output (a network receiver) is slower, generation waits instead of holding events in memory; nothing is dropped.\nDefault: 8388608 (8 MiB); 1048576 (1 MiB) for tcpout, syslogout and udpout, whose sockets queue more on their own."},
		{Name: "spoolDir", Builtin: true, Kind: Path, Default: "$SPLUNK_HOME/var/spool/splunk", Owners: own("spool", "file"), Eventgen: true, Doc: "spool output: the directory the files are written to (and the file output's directory when fileName is not set).\n$VARIABLES such as $SPLUNK_HOME are expanded; \"/\" works on Windows too."},
		{Name: "spoolFile", Builtin: true, Kind: String, Default: "<SAMPLE>", Owners: own("spool", "file"), Eventgen: true, Doc: "spool output: the name of the files; <SAMPLE> is the sample file's name.\nEach interval's file is written elsewhere and moved in whole, so Splunk never reads a half-written file; an existing file is never overwritten."},
		{Name: "fileName", Kind: Path, Owners: own("file"), Eventgen: true, Example: "/tmp/events.log", Doc: "file output: the file the events are appended to.\nDefault: spoolDir/spoolFile"},
		{Name: "fileMaxBytes", Builtin: true, Kind: Int, Default: "10485760", Min: 1, HasMin: true, Owners: own("file"), Eventgen: true, Doc: "file output: rotate the file when it reaches about this size in bytes (rounded up to whole MiB, at least 1 MiB). An event about that large or larger makes the output fail with an error."},
		{Name: "fileBackupFiles", Builtin: true, Kind: Int, Default: "5", Min: 0, HasMin: true, Owners: own("file"), Eventgen: true, Doc: "file output: how many rotated files to keep (0 keeps one, as in Eventgen 7.2.1). Rotated files are named <name>-<UTC time>.<ext>."},
		{Name: "splunkHost", Kind: Host, Owners: own("splunkstream"), Eventgen: true, Example: "127.0.0.1", Doc: "splunkstream output: the splunkd server to send to (one host).\nInside Splunk, splunkstream without splunkHost streams to this Splunk."},
		{Name: "splunkPort", Builtin: true, Kind: Port, Default: "8089", Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream output: splunkd's management port."},
		{Name: "splunkMethod", Builtin: true, Kind: Enum, Default: "https", Values: []string{"https", "http"}, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream output: the protocol of the management port."},
		{Name: "splunkUser", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream output: the user to log in with (outside Splunk; inside Splunk the input's session is used)."},
		{Name: "splunkPass", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream output: that user's password."},
		{Name: "splunkInsecure", Kind: Bool, Default: "false", Owners: own("splunkstream"), Doc: "splunkstream output: do not verify splunkd's TLS certificate (it is not verified on a loopback host anyway)."},
		{Name: "httpeventServers", Kind: JSON, Check: hecServers, Owners: hecOutputs, Eventgen: true,
			Example: `{"servers":[{"protocol":"https","address":"127.0.0.1","port":"8088","key":"00000000-0000-0000-0000-000000000000"}]}`,
			Doc:     "httpevent and metric_httpevent outputs: the HTTP Event Collector endpoints, as\n{\"servers\": [{\"protocol\": \"https\", \"address\": \"splunk.example.com\", \"port\": \"8088\", \"key\": \"<HEC token>\"}]}\nA field whose value is $NAME or ${NAME} is read from that environment variable (for example \"key\": \"$HEC_TOKEN\", the token from a container's environment or a Kubernetes Secret); its value is never shown in messages."},
		{Name: "httpeventOutputMode", Kind: Enum, Default: "roundrobin", Values: []string{"roundrobin", "mirror"}, Owners: hecOutputs, Eventgen: true,
			Doc: "httpevent output: roundrobin sends each request to one server in turn; mirror sends every request to every server."},
		{Name: "httpeventMaxPayloadSize", Kind: Int, Default: "1000000", Min: 1, HasMin: true, Owners: hecOutputs, Eventgen: true, Example: "10000",
			Doc: "httpevent output: the largest request body, in bytes; an event larger than that is sent alone.\nThe default, 1000000 (Eventgen's was 10000), is Splunk Cloud's HEC limit and the oldest\nmax_content_length of splunkd's [http_input] (Splunk Enterprise 9.x allows 800 MB): requests of\nabout 1 MB are what keeps HEC delivery near the receiver's own speed (docs/performance.md,\nDelivery); lower it only for a receiver or load balancer with a smaller request limit."},
		{Name: "httpeventWaitResponse", Builtin: true, Kind: Bool, Default: "true", Owners: hecOutputs, Eventgen: true,
			Doc: "httpevent output: true waits for each response before sending the next request; false keeps up to 4 requests in flight."},
		{Name: "httpeventGzip", Kind: Bool, Default: "false", Owners: hecOutputs, Doc: "httpevent output: send request bodies gzip-compressed."},
		{Name: "httpeventEndpoint", Kind: Enum, Default: "event", Values: []string{"event", "raw"}, Owners: hecOutputs,
			Doc: "httpevent output: the HEC endpoint, /services/collector/event (JSON envelopes) or /services/collector/raw (metadata in the query string). metric_httpevent needs event."},
		{Name: "httpeventAck", Kind: Bool, Default: "false", Owners: hecOutputs, Doc: "httpevent output: use indexer acknowledgement (a channel per server, polling /services/collector/ack, resending what is not acknowledged in time). The HEC token must have useACK enabled."},
		{Name: "httpeventAckTimeout", Kind: Seconds, Default: "60", Min: 0.001, HasMin: true, Max: 1e6, HasMax: true, Owners: hecOutputs,
			Doc: "httpevent output: seconds to wait for an acknowledgement before the request is sent again. Decimals are allowed."},
		{Name: "httpeventInsecure", Kind: Bool, Default: "false", Owners: hecOutputs, Doc: "httpevent output: do not verify the receiver's TLS certificate (Eventgen 7.2.1 never verified it)."},
		{Name: "httpeventDropPolicy", Kind: Enum, Default: "none", Values: []string{"none", "drop"}, Owners: hecOutputs,
			Doc: "httpevent output: none keeps retrying a receiver that is down (the queue fills and generation waits); drop counts and logs the events it gives up on after retries."},
		{Name: "httpeventAllowFailureCount", Kind: Int, Owners: hecOutputs, Eventgen: true, Status: Ignored,
			Doc: "httpevent output: Eventgen 7.2.1's budget of failed requests to tolerate. No effect here: failing servers are taken out and retried with back-off, and nothing is lost (see httpeventDropPolicy)."},
		{Name: "syslogDestinationHost", Kind: Host, Default: "127.0.0.1", Owners: own("syslogout"), Eventgen: true, Doc: "syslogout output: the syslog server."},
		{Name: "syslogDestinationPort", Kind: Port, Default: "1514", Owners: own("syslogout"), Eventgen: true, Doc: "syslogout output: its port (UDP unless syslogProtocol is tcp)."},
		{Name: "syslogAddHeader", Kind: Bool, Default: "false", Owners: own("syslogout"), Eventgen: true, Doc: "syslogout output: start each message with an RFC 3164 header (time, the event's host, tag)."},
		{Name: "syslogProtocol", Kind: Enum, Default: "udp", Values: []string{"udp", "tcp"}, Owners: own("syslogout"), Doc: "syslogout output: the transport (Eventgen 7.2.1 had UDP only)."},
		{Name: "syslogFormat", Kind: Enum, Default: "rfc3164", Values: []string{"rfc3164", "rfc5424"}, Owners: own("syslogout"), Doc: "syslogout output: the message format."},
		{Name: "syslogFraming", Kind: Enum, Default: "lf", Values: []string{"lf", "octet"}, Owners: own("syslogout"), Doc: "syslogout output over TCP: lf ends each message with a newline; octet uses octet counting (RFC 6587)."},
		{Name: "syslogFacility", Kind: String, Default: "user", Check: syslogCheck(syslogFacilities, 23), Owners: own("syslogout"), Doc: "syslogout output: the facility, by name (user, local0, ...) or number (0-23)."},
		{Name: "syslogSeverity", Kind: String, Default: "info", Check: syslogCheck(syslogSeverities, 7), Owners: own("syslogout"), Doc: "syslogout output: the severity, by name (info, warning, ...) or number (0-7)."},
		{Name: "syslogAppName", Kind: String, Default: "eventgen", Check: syslogApp, Owners: own("syslogout"), Doc: "syslogout output: the RFC 3164 tag and RFC 5424 APP-NAME."},
		{Name: "tcpDestinationHost", Kind: Host, Default: "127.0.0.1", Owners: own("tcpout"), Eventgen: true, Doc: "tcpout output: the receiving host."},
		{Name: "tcpDestinationPort", Kind: Port, Default: "3333", Owners: own("tcpout"), Eventgen: true, Doc: "tcpout output: its port."},
		{Name: "udpDestinationHost", Kind: Host, Default: "127.0.0.1", Owners: own("udpout"), Eventgen: true, Doc: "udpout output: the receiving host."},
		{Name: "udpDestinationPort", Kind: Port, Default: "3333", Owners: own("udpout"), Eventgen: true, Doc: "udpout output: its port."},
		{Name: "sessionKey", Kind: String, Owners: own("splunkstream"), Eventgen: true, Doc: "splunkstream output: a splunkd session key. Set by splunkd for the modular input; never write it."},
	}},
	{Title: "Outputs this version does not have", Intro: "The settings of Eventgen 7.2.1's awss3 and scsout outputs, and of its search-based backfill. They are read and reported; a stanza whose outputMode is awss3 or scsout sends its events to modinput instead inside Splunk, with a warning (as Eventgen 7.2.1 did), and is skipped by the eventgen command line tool.", Settings: []Setting{
		{Name: "awsS3BucketName", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: the bucket."},
		{Name: "awsS3CompressionType", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: compression of the objects."},
		{Name: "awsS3EventType", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: the event format written."},
		{Name: "awsS3ObjectPrefix", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: prefix of the object keys."},
		{Name: "awsS3ObjectSuffix", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: suffix of the object keys."},
		{Name: "awsRegion", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: the AWS region."},
		{Name: "awsKeyId", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: the access key id."},
		{Name: "awsSecretKey", Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: the secret access key."},
		{Name: "awsS3EventPerKey", Kind: Int, Owners: own("awss3"), Eventgen: true, Status: Unavailable, Doc: "awss3 output: events per object."},
		{Name: "scsEndPoint", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout output (Splunk Cloud Services ingest): the endpoint URL."},
		{Name: "scsAccessToken", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout output: the access token."},
		{Name: "scsClientId", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout output: the client id."},
		{Name: "scsClientSecret", Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout output: the client secret."},
		{Name: "scsRetryNum", Kind: Int, Owners: own("scsout"), Eventgen: true, Status: Unavailable, Doc: "scsout output: how many times to retry."},
		{Name: "backfillSearch", Scope: Stanza, Owners: own(Engine), Eventgen: true, Status: Ignored, Doc: "With backfill, Eventgen 7.2.1 was to search Splunk for the newest event and start from it (it never worked there either). No effect here: backfill always starts at the backfill time."},
		{Name: "backfillSearchUrl", Scope: Stanza, Owners: own(Engine), Eventgen: true, Status: Ignored, Doc: "The Splunk management URL backfillSearch runs against. No effect (see backfillSearch)."},
	}},
	{Title: "Settings of other generators", Intro: "Read by the jinja and counter generators only (see generator).", Settings: []Setting{
		{Name: "jinja_template_dir", Kind: Path, Owners: own("jinja"), Eventgen: true, Example: "templates", Doc: "jinja generator: the directory of the templates, relative to sampleDir unless absolute.\nDefault: templates"},
		{Name: "jinja_target_template", Kind: String, Owners: own("jinja"), Eventgen: true, Example: "main.template", Doc: "jinja generator: the template to render (a file in jinja_template_dir). Required by the jinja generator."},
		{Name: "jinja_variables", Kind: JSON, Check: jsonObject, Owners: own("jinja"), Eventgen: true, Example: `{"n": 3}`, Doc: "jinja generator: variables passed to the template, a JSON object. Optional."},
		{Name: "jinja_count_type", Kind: Enum, Values: []string{"line_count", "cycles", "perDayVolume"}, Owners: own("jinja"), Eventgen: true, Doc: "jinja generator: what \"count\" counts. cycles: renders of the template. line_count: events (the template is rendered until count events). perDayVolume: bytes of _raw (with perDayVolume, its share per interval; without, count is read as bytes per interval). Another value is warned about and read as cycles.\nDefault: cycles"},
		{Name: "count_template", Owners: own("counter"), Eventgen: true, Doc: "counter generator: the event text, a Python str.format template with the fields {event_ts}, {samplename}, {loop_count}, {max_loop}, {start_count}, {current_count}, {end_count} and {count_by}.\nDefault: Eventgen 7.2.1's template, \"{event_ts}-0700 Counter for sample:{samplename}, Now processing event counting {loop_count} of {max_loop} cycles. Counter Values: Start_Count: {start_count} Current_Counter:{current_count} End_Count:{end_count} Counting_By: {count_by}\""},
		{Name: "start_count", Owners: own("counter"), Eventgen: true, Doc: "counter generator: the first value (a number).\nDefault: 0"},
		{Name: "end_count", Owners: own("counter"), Eventgen: true, Doc: "counter generator: the last value (a number). Below start_count with a positive step, it is read as start_count + end_count (as Eventgen 7.2.1). A step that never lands on end_count stops past it (Eventgen 7.2.1 looped forever).\nDefault: not set (the end is count, or 60 when count is -1)"},
		{Name: "count_by", Owners: own("counter"), Eventgen: true, Doc: "counter generator: the step (a number); 0 is warned about and read as 1.\nDefault: 1"},
	}},
	{Title: "pytest-splunk-addon settings", Intro: "Splunk-built add-ons of 2020 onward write eventgen.conf (and pytest-splunk-addon-data.conf) in the dialect of pytest-splunk-addon, the add-on test tool, which generates its test events from them. Its token forms are read (see docs/compatibility.md): token.<n>.field, replacementType = all, the random forms src[...], dest[...], dvc[...], host[...], user[...], url[...], email, src_port and dest_port, file[...] replacements, and ***SPLUNK*** header lines in samples. Its settings are accepted; those that only steer its tests have no effect on generation.", Settings: []Setting{
		{Name: "host_type", Kind: Enum, Default: "plugin", Values: []string{"plugin", "event"}, Owners: own(Engine), Origin: PytestSplunkAddon, Lenient: true,
			Doc: "Where the events' host comes from.\nplugin: the host setting (pytest-splunk-addon numbers it per event, <host>_<n>, for its tests; here it is the host as set).\nevent: the value of the token whose token.<n>.field is host, in each event; without such a token, the host setting (with a warning).\nAny other value is warned about and read as plugin."},
		{Name: "input_type", Kind: Enum, Default: "default", Values: []string{"modinput", "windows_input", "file_monitor", "uf_file_monitor", "scripted_input", "syslog_tcp", "syslog_udp", "hec_metric", "default"}, Owners: own(PytestSplunkAddon), Origin: PytestSplunkAddon, Status: Ignored,
			Doc: "How pytest-splunk-addon sends the sample to Splunk for its tests (HEC event, HEC raw, syslog, a monitored file). No effect here: the events are cut from the sample as Eventgen cuts them (breaker, else one event per line) and go to outputMode."},
		{Name: "timestamp_type", Kind: Enum, Default: "event", Values: []string{"plugin", "event"}, Owners: own(PytestSplunkAddon), Origin: PytestSplunkAddon, Status: Ignored,
			Doc: "Whether pytest-splunk-addon's tests expect _time from the timestamp token whose field is _time (event) or from ingestion (plugin). No effect here: an event's time is the time its timestamp tokens render."},
		{Name: "sourcetype_to_search", Kind: String, Owners: own(PytestSplunkAddon), Origin: PytestSplunkAddon, Status: Ignored,
			Doc: "The sourcetype pytest-splunk-addon's tests search for, when props.conf rewrites the sourcetype at index time. No effect on generation (events carry sourcetype)."},
		{Name: "expected_event_count", Kind: Int, Min: 0, HasMin: true, Owners: own(PytestSplunkAddon), Origin: PytestSplunkAddon, Status: Ignored,
			Doc: "How many events pytest-splunk-addon's line-breaking test expects Splunk to index from the sample. No effect on generation."},
		{Name: "sample_count", Kind: Int, Min: 0, HasMin: true, Owners: own(PytestSplunkAddon), Origin: PytestSplunkAddon, Status: Ignored,
			Doc: "The number of events in the sample, for pytest-splunk-addon's tests. No effect on generation."},
		{Name: "requirement_test_sample", Kind: Int, Min: 0, HasMin: true, Owners: own(PytestSplunkAddon), Origin: PytestSplunkAddon, Status: Ignored,
			Doc: "1: the sample is pytest-splunk-addon's XML format (events with their CIM fields). Not read here: such a sample is read as text, which is rarely what is meant."},
		{Name: "host_prefix", Kind: String, Owners: own(PytestSplunkAddon), Origin: PytestSplunkAddon, Status: Ignored,
			Doc: "A prefix pytest-splunk-addon's tests add to the host they search for (events sent through SC4S). No effect on generation."},
	}},
	{Title: "Settings of the Python Eventgen with no effect here", Intro: "They tuned the Python implementation (threads, queues, profiling, logging) or its former Splunk Storm output (projectID, accessToken); they are accepted and ignored. debug and verbosity: the log level is the input's verbosity setting (inputs.conf) or the -v flag of the command line tool. threading: every stanza runs concurrently in one process. useOutputQueue: all events go through one buffered writer per output. blacklist: Eventgen 7.2.1 never applied it either.", Settings: []Setting{
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
		Doc: "An Eventgen 7.2.1 setting with no effect here (see this section's introduction)."}
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

func autotimestampPairs(text string) error {
	_, err := AutoTimestamps(text)
	return err
}

// AutoTimestamps reads autotimestamps: a JSON list of [regex, format]
// pairs.
func AutoTimestamps(text string) ([][2]string, error) {
	var raw []any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, fmt.Errorf("not a JSON list: %v", err)
	}
	out := make([][2]string, 0, len(raw))
	for i, x := range raw {
		pair, ok := x.([]any)
		if !ok || len(pair) != 2 {
			return nil, fmt.Errorf("item %d is not a [regex, format] pair", i+1)
		}
		re, ok1 := pair[0].(string)
		f, ok2 := pair[1].(string)
		if !ok1 || !ok2 || re == "" || f == "" {
			return nil, fmt.Errorf("item %d: the regex and the format must be non-empty strings", i+1)
		}
		out = append(out, [2]string{re, f})
	}
	return out, nil
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
