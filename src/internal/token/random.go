package token

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// randomKind is one of the value forms Eventgen accepts for the random
// and rated replacement types (inventory §2.3).
type randomKind uint8

const (
	kindInteger randomKind = iota + 1
	kindFloat
	kindIPv4
	kindIPv6
	kindMAC
	kindGUID
	kindHex
	kindString
	kindList
)

// Random is a parsed random/rated replacement value such as
// "integer[200:599]" or "list[\"a\",\"b\"]". It is immutable; randomness
// comes from the *rand.Rand passed to Append, so one Random can serve
// every stanza without locks.
type Random struct {
	kind   randomKind
	lo, hi int64   // integer bounds
	flo    float64 // float bounds
	fhi    float64
	prec   int      // float decimals
	n      int      // hex(n), string(n)
	list   []string // list[...]
	psa    *psaForm // pytest-splunk-addon forms (psa.go)
}

// ParseRandom parses the replacement of a random or rated token. Unlike
// Eventgen, which logged and left the sample text in place, every form
// that cannot produce a value is an error here.
func ParseRandom(s string) (*Random, error) {
	v := strings.TrimSpace(s)
	low := strings.ToLower(v)
	switch {
	case low == "ipv4":
		return &Random{kind: kindIPv4}, nil
	case low == "ipv6":
		return &Random{kind: kindIPv6}, nil
	case low == "mac":
		return &Random{kind: kindMAC}, nil
	case low == "guid":
		return &Random{kind: kindGUID}, nil
	case strings.HasPrefix(low, "integer["):
		a, b, err := bounds(v, "integer")
		if err != nil {
			return nil, err
		}
		lo, err1 := strconv.ParseInt(a, 10, 64)
		hi, err2 := strconv.ParseInt(b, 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%q: bounds must be whole numbers, as in integer[0:100]", s)
		}
		if hi < lo {
			return nil, fmt.Errorf("%q: upper bound %d is below lower bound %d; write integer[%d:%d]", s, hi, lo, hi, lo)
		}
		return &Random{kind: kindInteger, lo: lo, hi: hi}, nil
	case strings.HasPrefix(low, "float["):
		a, b, err := bounds(v, "float")
		if err != nil {
			return nil, err
		}
		lo, err1 := strconv.ParseFloat(a, 64)
		hi, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil || math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
			return nil, fmt.Errorf("%q: bounds must be decimal numbers, as in float[0.0:9.99]", s)
		}
		if hi < lo {
			return nil, fmt.Errorf("%q: upper bound is below lower bound; swap them", s)
		}
		return &Random{kind: kindFloat, flo: lo, fhi: hi, prec: max(decimals(a), decimals(b))}, nil
	case strings.HasPrefix(low, "hex("), strings.HasPrefix(low, "string("):
		name, arg, ok := strings.Cut(v, "(")
		arg, closed := strings.CutSuffix(arg, ")")
		n, err := strconv.Atoi(strings.TrimSpace(arg))
		if !ok || !closed || err != nil || n < 0 || n > 1<<20 {
			return nil, fmt.Errorf("%q: length must be a whole number between 0 and 1048576, as in %s(8)", s, strings.ToLower(name))
		}
		k := kindHex
		if strings.EqualFold(name, "string") {
			k = kindString
		}
		return &Random{kind: k, n: n}, nil
	case strings.HasPrefix(low, "list["):
		var items []any
		if err := json.Unmarshal([]byte(v[len("list"):]), &items); err != nil {
			// pytest-splunk-addon eval'd the list: 'single quotes' too.
			if py, ok := PyList(v[len("list"):]); ok {
				items = nil
				for _, it := range py {
					items = append(items, it)
				}
			}
		}
		if len(items) == 0 {
			return nil, fmt.Errorf("%q: list must be a non-empty JSON list, as in list[\"GET\",\"POST\"]", s)
		}
		r := &Random{kind: kindList}
		for _, it := range items {
			if str, ok := it.(string); ok {
				r.list = append(r.list, str)
			} else {
				b, _ := json.Marshal(it)
				r.list = append(r.list, string(b))
			}
		}
		return r, nil
	}
	if r, ok, err := parsePSA(s); ok {
		return r, err
	}
	return nil, fmt.Errorf("%q is not a random value; use integer[a:b], float[a.b:c.d], ipv4, ipv6, mac, guid, hex(n), string(n) or list[\"a\",\"b\"] (or a pytest-splunk-addon form: src[...], dest[...], dvc[...], host[...], user[...], url[...], email, src_port, dest_port)", s)
}

// bounds splits "name[a:b]" into a and b.
func bounds(v, name string) (string, string, error) {
	inner, ok := strings.CutSuffix(v[len(name)+1:], "]")
	a, b, ok2 := strings.Cut(inner, ":")
	if !ok || !ok2 {
		return "", "", fmt.Errorf("%q: write %s[lower:upper]", v, name)
	}
	return strings.TrimSpace(a), strings.TrimSpace(b), nil
}

func decimals(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// Numeric reports whether the value can be scaled by a rate (rated tokens).
func (r *Random) Numeric() bool { return r.kind == kindInteger || r.kind == kindFloat }

// grow makes room for n more bytes after dst's length and returns dst
// with the room to write them into: small values are written byte by
// byte there, with no copy through a temporary buffer (a runtime memmove
// call per value, a quarter of the time of an event before).
func grow(dst []byte, n int) ([]byte, []byte) {
	if cap(dst)-len(dst) < n {
		dst = slices.Grow(dst, n)
	}
	return dst, dst[len(dst) : len(dst)+n]
}

// appendInt appends v in decimal, as strconv.AppendInt(dst, v, 10).
// Integer tokens are the commonest values after addresses: v is written
// in groups of three digits, each one 4-byte store from a table, rather
// than digit pairs through a division by 100 per pair.
func appendInt(dst []byte, v int64) []byte {
	if v < 0 || v >= 1e9 {
		return strconv.AppendInt(dst, v, 10)
	}
	u := uint32(v)
	dst, b := grow(dst, 12)
	var n int
	switch {
	case u < 1000:
		n = putLead(b, u)
	case u < 1e6:
		q := u / 1000
		n = putLead(b, q)
		binary.LittleEndian.PutUint32(b[n:n+4], triples[u-q*1000])
		n += 3
	default:
		q := u / 1e6
		r := u - q*1e6
		m := r / 1000
		n = putLead(b, q)
		binary.LittleEndian.PutUint32(b[n:n+4], triples[m])
		binary.LittleEndian.PutUint32(b[n+3:n+7], triples[r-m*1000])
		n += 6
	}
	return dst[:len(dst)+n]
}

// putLead writes u < 1000 without leading zeros at the start of b, and
// bytes of no meaning after it up to b[3]; it returns the number of
// digits.
func putLead(b []byte, u uint32) int {
	t := leads[u]
	binary.LittleEndian.PutUint32(b[0:4], t)
	return int(t >> 24)
}

// triples[i] is i as three digits with leading zeros ("007"), packed
// little-endian into the low 3 bytes; leads[i] is i without them ("7"),
// packed the same way, with its number of digits in the high byte.
// They are computed with arithmetic, not fmt: formatting 2,000 strings
// was most of the package's start-up (0.1 ms of every run).
var triples, leads = func() (t, l [1000]uint32) {
	for i := range uint32(1000) {
		d2, d1, d0 := '0'+i/100, '0'+i/10%10, '0'+i%10
		t[i] = d2 | d1<<8 | d0<<16
		switch {
		case i >= 100:
			l[i] = t[i] | 3<<24
		case i >= 10:
			l[i] = d1 | d0<<8 | 2<<24
		default:
			l[i] = d0 | 1<<24
		}
	}
	return t, l
}()

// octets holds the decimal text of 0..255 followed by a dot, packed
// little-endian into 4 bytes, and its length with the dot (2 to 4).
var octets = func() (t [256]struct {
	text uint32
	len  uint8
}) {
	for i := range t {
		s := strconv.Itoa(i) + "."
		var b [4]byte
		copy(b[:], s)
		t[i].text = binary.LittleEndian.Uint32(b[:])
		t[i].len = uint8(len(s))
	}
	return t
}()

const hexUpper = "0123456789ABCDEF"
const hexLower = "0123456789abcdef"

// stringChars is what Eventgen's string(n) effectively produced: random
// printable characters, URL-quoted, with every %XX escape removed.
const stringChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/"

// appendIPv4 appends x as a dotted address, most significant byte first.
// One draw, four octets from a table of their decimal forms: the address
// is the commonest random value in samples.
func appendIPv4(dst []byte, x uint32) []byte {
	dst, b := grow(dst, 16)
	// Each octet and its dot is one 4-byte store; the last dot is cut.
	o := &octets[x>>24]
	binary.LittleEndian.PutUint32(b[0:4], o.text)
	n := int(o.len)
	o = &octets[x>>16&0xff]
	binary.LittleEndian.PutUint32(b[n:n+4], o.text)
	n += int(o.len)
	o = &octets[x>>8&0xff]
	binary.LittleEndian.PutUint32(b[n:n+4], o.text)
	n += int(o.len)
	o = &octets[x&0xff]
	binary.LittleEndian.PutUint32(b[n:n+4], o.text)
	n += int(o.len)
	return dst[:len(dst)+n-1]
}

// Append appends a random value; factor scales integer and float values
// (rated tokens) and is 1 for plain random tokens.
func (r *Random) Append(dst []byte, rng *rand.Rand, factor float64) []byte {
	switch r.kind {
	case kindInteger:
		var v int64
		if span := uint64(r.hi-r.lo) + 1; span == 0 { // the whole int64 range
			v = int64(rng.Uint64())
		} else {
			v = r.lo + int64(rng.Uint64N(span))
		}
		if factor != 1 {
			v = int64(math.RoundToEven(float64(v) * factor))
		}
		return appendInt(dst, v)
	case kindFloat:
		v := r.flo + rng.Float64()*(r.fhi-r.flo)
		return strconv.AppendFloat(dst, v*factor, 'f', r.prec, 64)
	case kindIPv4:
		return appendIPv4(dst, rng.Uint32())
	case kindIPv6:
		x := rng.Uint64()
		y := rng.Uint64()
		for i := 0; i < 8; i++ {
			w := x
			if i >= 4 {
				w = y
			}
			dst = strconv.AppendUint(dst, w>>(16*(3-i%4))&0xffff, 16)
			if i < 7 {
				dst = append(dst, ':')
			}
		}
		return dst
	case kindMAC:
		x := rng.Uint64()
		for i := 0; i < 6; i++ {
			b := x >> (8 * i) & 0xff
			dst = append(dst, hexLower[b>>4], hexLower[b&15])
			if i < 5 {
				dst = append(dst, ':')
			}
		}
		return dst
	case kindGUID:
		return AppendUUID(dst, rng)
	case kindHex:
		for i := 0; i < r.n; i++ {
			dst = append(dst, hexUpper[rng.IntN(16)])
		}
		return dst
	case kindString:
		for i := 0; i < r.n; i++ {
			dst = append(dst, stringChars[rng.IntN(len(stringChars))])
		}
		return dst
	case kindList:
		return append(dst, r.list[rng.IntN(len(r.list))]...)
	case kindPSA:
		return r.psa.append(dst, rng)
	}
	return dst
}

// AppendUUID appends a random (version 4) UUID drawn from rng, so that
// seeded runs reproduce their GUIDs.
func AppendUUID(dst []byte, rng *rand.Rand) []byte {
	var u [16]byte
	a, b := rng.Uint64(), rng.Uint64()
	for i := 0; i < 8; i++ {
		u[i] = byte(a >> (8 * i))
		u[8+i] = byte(b >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexLower[c>>4], hexLower[c&15])
	}
	return dst
}
