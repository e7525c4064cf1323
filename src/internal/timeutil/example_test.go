package timeutil_test

import (
	"fmt"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/timeutil"
)

func ExampleParseFormat() {
	f, err := timeutil.ParseFormat("%d/%b/%Y:%H:%M:%S.%3N %z")
	if err != nil {
		panic(err)
	}
	at := time.Date(2024, time.March, 5, 7, 8, 9, 123456789, time.FixedZone("", -5*3600))
	fmt.Println(string(f.Append(nil, at)))
	// Output: 05/Mar/2024:07:08:09.123 -0500
}

func ExampleFormat_Warnings() {
	f, err := timeutil.ParseFormat("%Y-%m-%d %Q")
	if err != nil {
		panic(err)
	}
	fmt.Println(string(f.Append(nil, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))))
	fmt.Println(f.Warnings())
	// Output:
	// 2024-03-05 %Q
	// [unknown directive "%Q" left as literal text (as Python's strftime did)]
}

func ExampleFormat_NewFormatter() {
	f, err := timeutil.ParseFormat("%H:%M:%S.%3N")
	if err != nil {
		panic(err)
	}
	c := f.NewFormatter() // one per goroutine
	var buf []byte
	at := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	for i := 0; i < 3; i++ {
		buf = c.Append(buf[:0], at.Add(time.Duration(i)*400*time.Millisecond))
		fmt.Println(string(buf))
	}
	// Output:
	// 07:08:09.000
	// 07:08:09.400
	// 07:08:09.800
}

func ExampleParseRelative() {
	now := time.Date(2019, time.March, 10, 13, 20, 15, 0, time.UTC)
	for _, s := range []string{"now", "-7d", "-1d@d+2h", "@w1", "@q", "-1mon@mon", "2024-01-02"} {
		r, err := timeutil.ParseRelative(s)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-10s %s\n", r, r.Resolve(now).Format("2006-01-02 15:04:05 Mon"))
	}
	// Output:
	// now        2019-03-10 13:20:15 Sun
	// -7d        2019-03-03 13:20:15 Sun
	// -1d@d+2h   2019-03-09 02:00:00 Sat
	// @w1        2019-03-04 00:00:00 Mon
	// @q         2019-01-01 00:00:00 Tue
	// -1mon@mon  2019-02-01 00:00:00 Fri
	// 2024-01-02 2024-01-02 00:00:00 Tue
}

func ExampleParseTimezone() {
	loc, err := timeutil.ParseTimezone("-0100")
	if err != nil {
		panic(err)
	}
	fmt.Println(time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC).In(loc).Format("15:04 MST"))
	// Output: 11:00 -0100
}
