module github.com/eventgen-go/eventgen

go 1.26

require (
	github.com/dlclark/regexp2 v1.12.0
	gopkg.in/natefinch/lumberjack.v2 v2.2.1
)
