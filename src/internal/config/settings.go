package config

import (
	"sort"
	"strings"
)

// kind is how a setting's text is parsed.
type kind uint8

const (
	kString kind = iota
	kBool
	kInt
	kFloat
	kJSON
	kEnum
)

// setting describes one eventgen.conf key (inventory §1.4).
type setting struct {
	kind kind
	// defaultable: a [global] value applies to stanzas that do not set it.
	// Eventgen's list (_defaultableSettings and plugin lists), plus the keys
	// its bug 8 left out (timezone, fileName, end, backfill, ...), which we
	// also inherit: see docs/compatibility.md.
	defaultable bool
	// ignored: accepted for compatibility, with no effect in this engine
	// (process tuning of the Python implementation).
	ignored bool
	enum    []string
}

var known = map[string]setting{
	// generation
	"disabled":            {kind: kBool},
	"mode":                {kind: kEnum, defaultable: true, enum: []string{"sample", "replay"}},
	"generator":           {kind: kString, defaultable: true},
	"rater":               {kind: kString, defaultable: true},
	"sampleDir":           {kind: kString, defaultable: true},
	"sampletype":          {kind: kEnum, defaultable: true, enum: []string{"raw", "csv"}},
	"breaker":             {kind: kString, defaultable: true},
	"count":               {kind: kInt, defaultable: true},
	"interval":            {kind: kInt, defaultable: true},
	"delay":               {kind: kFloat, defaultable: true},
	"end":                 {kind: kString, defaultable: true},
	"earliest":            {kind: kString, defaultable: true},
	"latest":              {kind: kString, defaultable: true},
	"backfill":            {kind: kString, defaultable: true},
	"randomizeCount":      {kind: kFloat, defaultable: true},
	"randomizeEvents":     {kind: kBool, defaultable: true},
	"bundlelines":         {kind: kBool, defaultable: true},
	"sequentialTimestamp": {kind: kBool, defaultable: true},
	"timezone":            {kind: kString, defaultable: true},
	"timeMultiple":        {kind: kFloat, defaultable: true},
	"timeField":           {kind: kString, defaultable: true},
	"perDayVolume":        {kind: kFloat, defaultable: true},
	"eps":                 {kind: kFloat, defaultable: true}, // beyond Eventgen: events per second
	"kbps":                {kind: kFloat, defaultable: true}, // beyond Eventgen: KiB of _raw per second
	"hourOfDayRate":       {kind: kJSON, defaultable: true},
	"dayOfWeekRate":       {kind: kJSON, defaultable: true},
	"minuteOfHourRate":    {kind: kJSON, defaultable: true},
	"dayOfMonthRate":      {kind: kJSON, defaultable: true},
	"monthOfYearRate":     {kind: kJSON, defaultable: true},
	"autotimestamp":       {kind: kBool, defaultable: true},
	"autotimestamps":      {kind: kJSON, defaultable: true},
	"extendIndexes":       {kind: kString, defaultable: true},
	"seed":                {kind: kInt},
	"backfillSearch":      {kind: kString},
	"backfillSearchUrl":   {kind: kString},
	// metadata
	"index":      {kind: kString, defaultable: true},
	"host":       {kind: kString, defaultable: true},
	"source":     {kind: kString, defaultable: true},
	"sourcetype": {kind: kString, defaultable: true},
	"hostRegex":  {kind: kString, defaultable: true},
	// outputs
	"outputMode":                 {kind: kString, defaultable: true},
	"spoolDir":                   {kind: kString, defaultable: true},
	"spoolFile":                  {kind: kString, defaultable: true},
	"fileName":                   {kind: kString, defaultable: true},
	"fileMaxBytes":               {kind: kInt, defaultable: true},
	"fileBackupFiles":            {kind: kInt, defaultable: true},
	"splunkHost":                 {kind: kString, defaultable: true},
	"splunkPort":                 {kind: kInt, defaultable: true},
	"splunkMethod":               {kind: kEnum, defaultable: true, enum: []string{"http", "https"}},
	"splunkUser":                 {kind: kString, defaultable: true},
	"splunkPass":                 {kind: kString, defaultable: true},
	"outputQueueBytes":           {kind: kInt, defaultable: true}, // beyond Eventgen: bound of the queue to an output
	"httpeventServers":           {kind: kJSON, defaultable: true},
	"httpeventOutputMode":        {kind: kString, defaultable: true},
	"httpeventMaxPayloadSize":    {kind: kInt, defaultable: true},
	"httpeventWaitResponse":      {kind: kBool, defaultable: true},
	"httpeventGzip":              {kind: kBool, defaultable: true},   // beyond Eventgen
	"httpeventEndpoint":          {kind: kString, defaultable: true}, // event | raw
	"httpeventAck":               {kind: kBool, defaultable: true},
	"httpeventAckTimeout":        {kind: kInt, defaultable: true},
	"httpeventInsecure":          {kind: kBool, defaultable: true},
	"httpeventDropPolicy":        {kind: kString, defaultable: true}, // none | drop
	"splunkInsecure":             {kind: kBool, defaultable: true},
	"httpeventAllowFailureCount": {kind: kInt, defaultable: true},
	"syslogDestinationHost":      {kind: kString, defaultable: true},
	"syslogDestinationPort":      {kind: kInt, defaultable: true},
	"syslogAddHeader":            {kind: kBool, defaultable: true},
	"syslogProtocol":             {kind: kString, defaultable: true}, // beyond Eventgen: udp | tcp
	"syslogFormat":               {kind: kString, defaultable: true}, // rfc3164 | rfc5424
	"syslogFraming":              {kind: kString, defaultable: true}, // lf | octet (TCP)
	"syslogFacility":             {kind: kString, defaultable: true},
	"syslogSeverity":             {kind: kString, defaultable: true},
	"syslogAppName":              {kind: kString, defaultable: true},
	"tcpDestinationHost":         {kind: kString, defaultable: true},
	"tcpDestinationPort":         {kind: kInt, defaultable: true},
	"udpDestinationHost":         {kind: kString, defaultable: true},
	"udpDestinationPort":         {kind: kInt, defaultable: true},
	"awsS3BucketName":            {kind: kString, defaultable: true},
	"awsS3CompressionType":       {kind: kString, defaultable: true},
	"awsS3EventType":             {kind: kString, defaultable: true},
	"awsS3ObjectPrefix":          {kind: kString, defaultable: true},
	"awsS3ObjectSuffix":          {kind: kString, defaultable: true},
	"awsRegion":                  {kind: kString, defaultable: true},
	"awsKeyId":                   {kind: kString, defaultable: true},
	"awsSecretKey":               {kind: kString, defaultable: true},
	"awsS3EventPerKey":           {kind: kInt, defaultable: true},
	"scsEndPoint":                {kind: kString, defaultable: true},
	"scsAccessToken":             {kind: kString, defaultable: true},
	"scsClientId":                {kind: kString, defaultable: true},
	"scsClientSecret":            {kind: kString, defaultable: true},
	"scsRetryNum":                {kind: kInt, defaultable: true},
	// generators other than default
	"jinja_template_dir":    {kind: kString, defaultable: true},
	"jinja_target_template": {kind: kString, defaultable: true},
	"jinja_variables":       {kind: kJSON, defaultable: true},
	"jinja_count_type":      {kind: kString, defaultable: true},
	"count_template":        {kind: kString, defaultable: true},
	"start_count":           {kind: kString, defaultable: true},
	"end_count":             {kind: kString, defaultable: true},
	"count_by":              {kind: kString, defaultable: true},
	// Python process tuning: accepted, no effect here.
	"debug":                   {ignored: true},
	"verbosity":               {ignored: true},
	"threading":               {ignored: true},
	"profiler":                {ignored: true},
	"generatorWorkers":        {ignored: true},
	"outputWorkers":           {ignored: true},
	"maxIntervalsBeforeFlush": {ignored: true},
	"maxQueueLength":          {ignored: true},
	"useOutputQueue":          {ignored: true},
	"disableLoggingQueue":     {ignored: true},
	"outputCounter":           {ignored: true},
	"splitSample":             {ignored: true},
	"blacklist":               {ignored: true},
	"projectID":               {ignored: true},
	"accessToken":             {ignored: true},
	"sessionKey":              {ignored: true},
}

// knownKey reports whether key is a setting, a token key or a host token key.
func knownKey(key string) bool {
	if _, ok := known[key]; ok {
		return true
	}
	if strings.HasPrefix(key, "eai:") {
		return true // added by splunkd REST
	}
	if key == "host.token" || key == "host.replacement" {
		return true
	}
	_, _, ok := tokenKey(key)
	return ok
}

// suggest returns the known setting closest to key, for typo hints.
func suggest(key string) string {
	best, bestD := "", 3
	lk := strings.ToLower(key)
	names := make([]string, 0, len(known))
	for n := range known {
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
