module github.com/eventgen-go/eventgen

go 1.26

require (
	github.com/dlclark/regexp2 v1.12.0
	github.com/hashicorp/go-retryablehttp v0.7.8
	gopkg.in/natefinch/lumberjack.v2 v2.2.1
)

require github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
