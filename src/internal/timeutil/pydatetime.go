package timeutil

import (
	"strconv"
	"time"
)

// AppendPyDatetime appends t as Python's str(datetime) prints it:
// YYYY-MM-DD HH:MM:SS, then .ffffff when there are microseconds. The
// counter, windbag and jinja generators print times this way, as
// Eventgen's did.
func AppendPyDatetime(dst []byte, t time.Time) []byte {
	dst = t.AppendFormat(dst, "2006-01-02 15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		dst = append(dst, '.')
		var tmp [20]byte
		s := strconv.AppendInt(tmp[:0], int64(us), 10)
		for i := len(s); i < 6; i++ {
			dst = append(dst, '0')
		}
		dst = append(dst, s...)
	}
	return dst
}
