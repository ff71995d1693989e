#!/usr/bin/env python3
"""gen-regions: generate WAKit's phone-number -> region tables from libphonenumber's metadata.

Usage:
  scripts/watools/gen_regions.py            write Sources/WAKit/Phone/PhoneRegions+Generated.swift
                                            and Sources/WAKit/Phone/ISO3166+Generated.swift
  scripts/watools/gen_regions.py --fixture  also write Tests/Fixtures/regions.tsv
  scripts/watools/gen_regions.py --check    write nothing; exit 1 if a generated file is stale
  scripts/watools/gen_regions.py --stats    print the table sizes, write nothing

Needs Python 3.9+ and `pip install phonenumbers==9.0.43` (the Python port of Google's
libphonenumber, whose metadata is Apache-2.0). Run it from anywhere: paths are relative to the
package root (two folders above this file). Regenerate after upgrading phonenumbers,
then run scripts/watools/check_regions.py, which must report 100% agreement.

How the tables are derived. A calling code with one region maps to it. For a calling code
shared by several regions, libphonenumber's region_code_for_number tries the regions in order:
a region with `leading_digits` wins when they match the start of the national number; a region
without them wins when the number is valid for it (matches one of its number types). This
script compiles those patterns (a small regex subset: digits, classes, groups, alternation,
bounded repeats) into automata and explores, digit by digit, every national number up to 17
digits, to build a trie whose leaves are exact: under a leaf, every number that libphonenumber
gives a region to gets that leaf's region. Where libphonenumber gives none, the leaf's region
(or the calling code's main region) stands in. Where the region depends on the number's length
(+1 310 xxxx, 7 digits, is CA; +1 310 xxx xxxx is US), the leaf is a per-length row.
"""

import os
import sys

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata
from phonenumbers.geodata.locale import LOCALE_DATA

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHONE_DIR = os.path.join(ROOT, "Sources", "WAKit", "Phone")
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "regions.tsv")
MAX_NSN = 17  # libphonenumber's longest national significant number
# The number types _number_type_helper tries; a number is valid for a region if one matches.
TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
         "uan", "voicemail", "fixed_line", "mobile")
VERSION = phonenumbers.__version__

# ---------------------------------------------------------------------------------------------
# Regex subset -> NFA over the ten digits.


class NFA:
    """Thompson NFA. Edges carry a 10-bit digit mask; epsilon edges are closed over up front."""

    def __init__(self, pattern):
        self.edges = []   # state -> [(mask, target)]
        self.eps = []     # state -> [target]
        self.pattern, self.pos = pattern, 0
        start, end = self._alt()
        if self.pos != len(pattern):
            raise ValueError("unparsed regex tail: %r at %d" % (pattern, self.pos))
        self.accept = end
        self.start = self.closure({start})
        self._step = {}

    def _new(self):
        self.edges.append([])
        self.eps.append([])
        return len(self.edges) - 1

    def _peek(self):
        return self.pattern[self.pos] if self.pos < len(self.pattern) else None

    def _alt(self):
        branches = [self._seq()]
        while self._peek() == "|":
            self.pos += 1
            branches.append(self._seq())
        if len(branches) == 1:
            return branches[0]
        s, e = self._new(), self._new()
        for bs, be in branches:
            self.eps[s].append(bs)
            self.eps[be].append(e)
        return s, e

    def _seq(self):
        s = e = self._new()
        while self._peek() not in (None, "|", ")"):
            atom = self.pos
            fs, fe = self._atom()
            lo, hi = self._quant()
            if (lo, hi) != (1, 1):
                fs, fe = self._repeat(atom, self.pos_before_quant, fs, fe, lo, hi)
            self.eps[e].append(fs)
            e = fe
        return s, e

    def _repeat(self, atom_start, atom_end, fs, fe, lo, hi):
        """Copies the atom by re-parsing its text: simple, and the patterns are small."""
        text = self.pattern[atom_start:atom_end]
        copies = [(fs, fe)]
        count = max(lo, hi if hi is not None else lo + 1)
        while len(copies) < count:
            saved = self.pattern, self.pos
            self.pattern, self.pos = text, 0
            copies.append(self._atom())
            self.pattern, self.pos = saved
        s = e = self._new()
        for i, (cs, ce) in enumerate(copies):
            self.eps[e].append(cs)
            if i >= lo:                      # this copy is optional: it may be skipped
                self.eps[e].append(ce)
            e = ce
        if hi is None:                       # unbounded: the last copy loops
            self.eps[e].append(copies[-1][0])
            if lo == 0:
                self.eps[s].append(e)
        return s, e

    def _quant(self):
        self.pos_before_quant = self.pos
        c = self._peek()
        if c == "?":
            self.pos += 1
            return 0, 1
        if c == "*":
            self.pos += 1
            return 0, None
        if c == "+":
            self.pos += 1
            return 1, None
        if c == "{":
            close = self.pattern.index("}", self.pos)
            body = self.pattern[self.pos + 1:close]
            self.pos = close + 1
            if "," in body:
                lo, hi = body.split(",")
                return int(lo), (int(hi) if hi else None)
            return int(body), int(body)
        return 1, 1

    def _atom(self):
        c = self._peek()
        if c == "(":
            self.pos += 1
            if self.pattern.startswith("?:", self.pos):
                self.pos += 2
            fs, fe = self._alt()
            if self._peek() != ")":
                raise ValueError("unbalanced group in %r" % self.pattern)
            self.pos += 1
            return fs, fe
        if c == "[":
            close = self.pattern.index("]", self.pos)
            body = self.pattern[self.pos + 1:close]
            self.pos = close + 1
            mask, i = 0, 0
            if body.startswith("^"):
                raise ValueError("negated class in %r" % self.pattern)
            while i < len(body):
                if body.startswith("\\d", i):
                    mask |= 0x3FF
                    i += 2
                elif i + 2 < len(body) and body[i + 1] == "-":
                    for d in range(int(body[i]), int(body[i + 2]) + 1):
                        mask |= 1 << d
                    i += 3
                else:
                    mask |= 1 << int(body[i])
                    i += 1
            return self._edge(mask)
        if self.pattern.startswith("\\d", self.pos):
            self.pos += 2
            return self._edge(0x3FF)
        if c is not None and c.isdigit():
            self.pos += 1
            return self._edge(1 << int(c))
        raise ValueError("unsupported regex syntax %r at %d in %r" % (c, self.pos, self.pattern))

    def _edge(self, mask):
        s, e = self._new(), self._new()
        self.edges[s].append((mask, e))
        return s, e

    def closure(self, states):
        stack, seen = list(states), set(states)
        while stack:
            for t in self.eps[stack.pop()]:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return frozenset(seen)

    def step(self, states, digit):
        key = (states, digit)
        hit = self._step.get(key)
        if hit is None:
            bit = 1 << digit
            hit = self.closure({t for s in states for m, t in self.edges[s] if m & bit})
            self._step[key] = hit
        return hit

    def accepts(self, states):
        return self.accept in states


_NFA_CACHE = {}


def nfa(pattern):
    if pattern not in _NFA_CACHE:
        _NFA_CACHE[pattern] = NFA(pattern)
    return _NFA_CACHE[pattern]


# ---------------------------------------------------------------------------------------------
# One region's test in _region_code_for_number_from_list, as an automaton.


class RegionTest:
    """Whether libphonenumber picks `region` for a national number, tracked digit by digit.

    State: ("ld", states) while leading_digits may still match, True once matched (sticky: it
    is a prefix match), False once it cannot; or ("valid", general, ((type, states), ...)).
    """

    def __init__(self, cc, region):
        md = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
        self.region = region
        if md.leading_digits is not None:
            self.ld = nfa(md.leading_digits)
            self.start = self._ld_state(self.ld.start)
            return
        self.ld = None
        g = md.general_desc
        self.general = nfa(g.national_number_pattern)
        self.general_lengths = set(g.possible_length)
        self.types = []
        for name in TYPES:
            d = getattr(md, name)
            if d is None or not d.national_number_pattern:
                continue
            lengths = set(d.possible_length) if d.possible_length else self.general_lengths
            self.types.append((nfa(d.national_number_pattern), lengths & self.general_lengths))
        self.start = ("valid", self.general.start,
                      tuple((i, t.start) for i, (t, _) in enumerate(self.types)))

    def _ld_state(self, states):
        if self.ld.accepts(states):
            return True
        return ("ld", states) if states else False

    def step(self, state, digit):
        if state is True or state is False:
            return state
        if state[0] == "ld":
            return self._ld_state(self.ld.step(state[1], digit))
        general = self.general.step(state[1], digit)
        if not general:
            return False
        live = []
        for i, states in state[2]:
            nxt = self.types[i][0].step(states, digit)
            if nxt:
                live.append((i, nxt))
        return ("valid", general, tuple(live)) if live else False

    def matches_at_end(self, state, length):
        """Whether the number read so far (of `length` digits) picks this region."""
        if state is True or state is False:
            return state
        if state[0] == "ld":
            return False
        if length not in self.general_lengths or not self.general.accepts(state[1]):
            return False
        return any(length in self.types[i][1] and self.types[i][0].accepts(s)
                   for i, s in state[2])


class SharedCode:
    """The regions of one shared calling code, explored together as a product automaton."""

    def __init__(self, cc, regions):
        self.cc, self.regions = cc, regions
        self.tests = [RegionTest(cc, r) for r in regions]
        self.memo = {}

    def start(self):
        return (0, tuple(t.start for t in self.tests))

    def step(self, node, digit):
        depth, states = node
        nxt = []
        for t, s in zip(self.tests, states):
            s = t.step(s, digit)
            nxt.append(s)
            if s is True:        # leading digits matched: later regions can never win
                break
        nxt += [False] * (len(states) - len(nxt))
        return (depth + 1, tuple(nxt))

    def answer_at_end(self, node):
        depth, states = node
        for t, s in zip(self.tests, states):
            if t.matches_at_end(s, depth):
                return t.region
        return None

    def answers(self, node):
        """{nsn length: frozenset of regions (None: libphonenumber gives none)} below node."""
        hit = self.memo.get(node)
        if hit is not None:
            return hit
        depth, states = node
        out = {depth: {self.answer_at_end(node)}}
        first = next((s for s in states if s is not False), False)
        if first is False:
            pass                                 # nothing can match any longer
        elif first is True:
            region = self.answer_at_end(node)    # leading digits matched: so at every length
            for length in range(depth + 1, MAX_NSN + 1):
                out[length] = {region}
        elif depth < MAX_NSN:
            for d in range(10):
                for length, regions in self.answers(self.step(node, d)).items():
                    out.setdefault(length, set()).update(regions)
        out = {k: frozenset(v) for k, v in out.items()}
        self.memo[node] = out
        return out


# ---------------------------------------------------------------------------------------------
# The trie.


class Leaf:
    """The answer: calling code and region."""

    def __init__(self, cc, region):
        self.cc, self.region = cc, region   # region None: non-geographic ("001")


class LengthLeaf:
    """The answer when the region depends on the national number's length only."""

    def __init__(self, cc, main, by_length):
        self.cc, self.main, self.by_length = cc, main, by_length


class Inner:
    """A node: a slot per next digit, and one for "the digits end here"."""

    def __init__(self, cc, prefix):
        self.cc, self.prefix = cc, prefix   # cc 0 while the calling code is still open;
        # prefix: the digits that lead here, calling code first
        self.children = [None] * 10
        self.end = None                      # what digits ending here give (None: nil)


def build_shared(shared, node, prefix):
    """Trie under a shared code: a leaf as soon as the region no longer depends on more digits."""
    main = shared.regions[0]
    per_length = shared.answers(node)
    named = set().union(*per_length.values()) - {None}
    if len(named) <= 1:
        return Leaf(shared.cc, named.pop() if named else main)
    if all(len(v - {None}) <= 1 for v in per_length.values()):
        by_length = {}
        for length, v in per_length.items():
            v = v - {None}
            if v and v != {main}:
                by_length[length] = next(iter(v))
        return LengthLeaf(shared.cc, main, by_length)
    inner = Inner(shared.cc, prefix)
    inner.end = Leaf(shared.cc, shared.answer_at_end(node) or main)
    for d in range(10):
        inner.children[d] = build_shared(shared, shared.step(node, d), prefix + str(d))
    return inner


def build_trie():
    root = Inner(0, "")
    for cc in sorted(COUNTRY_CODE_TO_REGION_CODE):
        regions = COUNTRY_CODE_TO_REGION_CODE[cc]
        digits = str(cc)
        node = root
        for d in digits[:-1]:
            child = node.children[int(d)]
            if child is None:
                child = node.children[int(d)] = Inner(0, node.prefix + d)
            assert isinstance(child, Inner) and child.cc == 0, "calling codes must be prefix-free"
            node = child
        last = int(digits[-1])
        assert node.children[last] is None, "calling codes must be prefix-free"
        if len(regions) == 1:
            region = regions[0]
            node.children[last] = Leaf(cc, None if region == "001" else region)
        else:
            assert "001" not in regions
            shared = SharedCode(cc, regions)
            node.children[last] = build_shared(shared, shared.start(), digits)
    return root


def lookup_py(trie, digits):
    """The lookup the Swift code does, over the Python trie: (cc, region or None) or None."""
    node, i = trie, 0
    while True:
        slot = node.children[int(digits[i])] if i < len(digits) else node.end
        if slot is None:
            return None
        if isinstance(slot, Leaf):
            return slot.cc, slot.region
        if isinstance(slot, LengthLeaf):
            nsn = len(digits) - len(str(slot.cc))
            return slot.cc, slot.by_length.get(nsn, slot.main)
        node, i = slot, i + 1


# ---------------------------------------------------------------------------------------------
# ISO 3166-1 alpha-2: the officially assigned codes, plus the three libphonenumber uses.

# libphonenumber's locale data names every officially assigned code (and AN, deleted in 2011).
DELETED = {"AN"}
# Codes libphonenumber gives to numbers that ISO does not officially assign: AC and TA are
# "exceptionally reserved", XK is user-assigned (used for Kosovo by the EU, IMF and others).
EXTRA = {"AC": "Ascension Island", "TA": "Tristan da Cunha", "XK": "Kosovo"}
# Names the locale data has in an older or clumsier form; the rest only get "And"/"Of"/"The"
# lower-cased inside the name.
RENAMED = {
    "BN": "Brunei Darussalam", "CC": "Cocos (Keeling) Islands", "CD": "DR Congo",
    "CV": "Cabo Verde", "CZ": "Czechia", "FK": "Falkland Islands (Malvinas)",
    "MF": "Saint Martin (French part)", "MK": "North Macedonia", "RE": "Réunion",
    "SZ": "Eswatini", "TR": "Türkiye", "VA": "Vatican City",
}


def iso_names():
    names = dict(EXTRA)
    for code, by_language in LOCALE_DATA.items():
        if code in DELETED:
            continue
        name = by_language["en"]
        while name.startswith("*"):          # "*aa": the same as another language's entry
            name = by_language[name[1:]]
        words = name.split(" ")
        words[1:] = [w.lower() if w in ("And", "Of", "The") else w for w in words[1:]]
        names[code] = RENAMED.get(code, " ".join(words))
    assert len(names) == 249 + len(EXTRA), len(names)
    used = {r for rs in COUNTRY_CODE_TO_REGION_CODE.values() for r in rs} - {"001"}
    assert used <= set(names), used - set(names)
    return dict(sorted(names.items()))


# ---------------------------------------------------------------------------------------------
# Swift output.

LEAF, LENGTH_LEAF = 0x8000_0000, 0x4000_0000
NODE_SLOTS = 11          # ten digits, then "the digits end here"
ROW_WIDTH = MAX_NSN + 1  # per-length rows: [0] is the default, [n] for a national number of n


def raw(region):
    return 0 if region is None else (ord(region[0]) << 8) | ord(region[1])


def header(what):
    return [
        "// GENERATED FILE, do not edit. Regenerate with scripts/watools/gen_regions.py, then run",
        "// scripts/watools/check_regions.py (it must report 100% agreement).",
        "// Source: phonenumbers %s, the Python port of Google's libphonenumber %s," % (
            VERSION, VERSION),
        "// whose metadata is Copyright The Libphonenumber Authors, Apache License 2.0.",
        "// %s" % what,
        "",
    ]


def swift_regions(trie):
    nodes, rows = [], []
    index = {}

    def number(node):                     # breadth-first order: the calling codes come first
        queue = [node]
        while queue:
            n = queue.pop(0)
            index[id(n)] = len(nodes)
            nodes.append(n)
            queue += [c for c in n.children if isinstance(c, Inner)]

    number(trie)
    assert len(nodes) < 0x1_0000

    def encode(slot):
        if slot is None:
            return 0
        if isinstance(slot, Leaf):
            return LEAF | slot.cc << 16 | raw(slot.region)
        if isinstance(slot, LengthLeaf):
            row = [raw(slot.by_length.get(n, slot.main)) for n in range(ROW_WIDTH)]
            row[0] = raw(slot.main)
            rows.append(row)
            return LENGTH_LEAF | slot.cc << 16 | (len(rows) - 1)
        return slot.cc << 16 | index[id(slot)]

    out = header("The E.164 calling-code and region trie that PhoneRegions.lookup walks.")
    out += [
        "extension PhoneRegions {",
        "  /// The version of libphonenumber's metadata these tables come from.",
        "  static let metadataVersion = \"%s\"" % VERSION,
        "",
        "  /// %d nodes of %d slots: one per next digit, then one for \"the digits end here\"."
        % (len(nodes), NODE_SLOTS),
        "  /// Node 0 is the root. Each node's comment is the prefix (calling code and national",
        "  /// digits) that leads to it. The slot encoding is described in PhoneRegions.swift.",
        "  static let trie: [UInt32] = [",
    ]
    for n in nodes:
        slots = ["0x%04X_%04X" % (v >> 16, v & 0xFFFF)
                 for v in map(encode, n.children + [n.end])]
        cc = len(str(n.cc)) if n.cc else len(n.prefix)
        label = "+" + n.prefix[:cc] + (" " + n.prefix[cc:] if n.prefix[cc:] else "")
        out.append("    // %d: %s" % (index[id(n)], label if n.prefix else "(root)"))
        out.append("    " + ", ".join(slots[:6]) + ",")
        out.append("    " + ", ".join(slots[6:]) + ",")
    out += [
        "  ]",
        "",
        "  /// Regions that depend on the national number's length, %d per row: [n] for n digits"
        % ROW_WIDTH,
        "  /// (1...%d), [0] for any other length (the calling code's main region)." % MAX_NSN,
        "  static let lengthRows: [UInt16] = [",
    ]
    for row in rows:
        out.append("    " + ", ".join("0x%04X" % v for v in row[:9]) + ",")
        out.append("    " + ", ".join("0x%04X" % v for v in row[9:]) + ",")
    out += ["  ]", "}", ""]
    return "\n".join(out), len(nodes), len(rows)


def swift_iso(names):
    rows = [0] * 26
    for code in names:
        rows[ord(code[0]) - 65] |= 1 << (ord(code[1]) - 65)
    starts, total = [], 0
    for r in rows:
        starts.append(total)
        total += bin(r).count("1")
    out = header("ISO 3166-1 alpha-2 codes and English short names for ISO3166.")
    out += [
        "extension ISO3166 {",
        "  /// One row per first letter A...Z: bit n is set when the second letter \"A\"+n makes",
        "  /// an assigned code.",
        "  static let rows: [UInt32] = [",
    ]
    for i in range(0, 26, 6):
        out.append("    " + ", ".join("0x%07X" % r for r in rows[i:i + 6]) + ",")
    out += [
        "  ]",
        "",
        "  /// How many assigned codes come before each row: a code's index into `names`.",
        "  static let rowStarts: [UInt16] = [",
    ]
    for i in range(0, 26, 13):
        out.append("    " + ", ".join("%d" % s for s in starts[i:i + 13]) + ",")
    out += [
        "  ]",
        "",
        "  /// The %d names, in code order." % len(names),
        "  static let names: [String] = [",
    ]
    for code, name in names.items():
        out.append("    \"%s\",  // %s" % (name.replace("\\", "\\\\").replace("\"", "\\\""), code))
    out += ["  ]", "}", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The fixture: numbers with the calling code and region the resolver must give.

ALL_TYPES = [(v, k.lower()) for k, v in vars(phonenumbers.PhoneNumberType).items()
             if k.isupper() and k not in ("UNKNOWN", "FIXED_LINE_OR_MOBILE")]


def example_numbers():
    """(e164 digits, note) for every example number libphonenumber has."""
    out = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for t, name in sorted(ALL_TYPES):
            n = phonenumbers.example_number_for_type(region, t)
            if n is not None:
                out.append(("%d%s" % (n.country_code, phonenumbers.national_significant_number(n)),
                            "%s %s example" % (region, name)))
    for cc in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        md = PhoneMetadata.metadata_for_nongeo_region(cc)
        for t, name in sorted(ALL_TYPES):
            desc = phonenumbers.phonenumberutil._number_desc_by_type(md, t)
            if desc is not None and desc.example_number:
                out.append(("%d%s" % (cc, desc.example_number), "+%d %s example" % (cc, name)))
    return out


# Shared-code cases worth naming, numbers that are not valid anywhere, unassigned codes.
EXTRA_FIXTURE = [
    ("18765550123", "JM", "NANP area code 876: Jamaica"),
    ("14165550123", "CA", "NANP area code 416: Canada"),
    ("18682345678", "TT", "NANP area code 868: Trinidad and Tobago"),
    ("12423456789", "BS", "NANP area code 242: Bahamas"),
    ("17872345678", "PR", "NANP area code 787: Puerto Rico"),
    ("12125550123", "US", "NANP area code 212: United States"),
    ("13105550123", "US", "NANP 310, ten digits: United States"),
    ("13101234", "CA", "NANP 310, seven digits: Canada's 310 numbers"),
    ("18002345678", "US", "NANP toll-free: United States (first region)"),
    ("10005550123", "US", "NANP, no valid area code: main region (libphonenumber: none)"),
    ("1555", "US", "NANP, too short: main region (libphonenumber: none)"),
    ("77011234567", "KZ", "+7 7: Kazakhstan"),
    ("79123456789", "RU", "+7 9: Russia"),
    ("70123456789", "RU", "+7 0: main region (libphonenumber: none)"),
    ("441534456789", "JE", "+44 1534: Jersey"),
    ("441481256789", "GG", "+44 1481: Guernsey"),
    ("447624123456", "IM", "+44 7624: Isle of Man"),
    ("447400123456", "GB", "+44 7400: United Kingdom"),
    ("440123456", "GB", "+44, invalid: main region (libphonenumber: none)"),
    ("4779123456", "SJ", "+47 79: Svalbard"),
    ("4722123456", "NO", "+47 22: Norway"),
    ("61891621234", "CC", "+61 8 9162: Cocos Islands"),
    ("61891641234", "CX", "+61 8 9164: Christmas Island"),
    ("61212345678", "AU", "+61 2: Australia"),
    ("262269612345", "YT", "+262 269: Mayotte"),
    ("262262161234", "RE", "+262 262: Réunion"),
    ("2908123", "TA", "+290 8: Tristan da Cunha"),
    ("2902123", "SH", "+290 2: Saint Helena"),
    ("358181234567", "AX", "+358 18: Åland"),
    ("358912345678", "FI", "+358 9: Finland"),
    ("390669812345", "VA", "+39 06 698: Vatican"),
    ("390612345678", "IT", "+39 06: Italy"),
    ("590590271234", "BL", "+590 590 27: Saint Barthélemy"),
    ("590590071234", "MF", "+590 590 07: Saint Martin"),
    ("590590201234", "GP", "+590 590 20: Guadeloupe"),
    ("5997123456", "BQ", "+599 7: Bonaire, Sint Eustatius and Saba"),
    ("59991234567", "CW", "+599 9: Curaçao"),
    ("212528812345", "MA", "+212 5288: Morocco (libphonenumber never gives EH)"),
    ("254712345678", "KE", "+254: Kenya"),
    ("80012345678", "-", "+800: non-geographic"),
    ("882345678901", "-", "+882: non-geographic"),
    ("979123456789", "-", "+979: non-geographic"),
    ("999123456789", "", "+999: unassigned"),
    ("2812345678", "", "+28: unassigned"),
    ("80", "", "+80: incomplete calling code"),
    ("0123456789", "", "leading 0: no calling code"),
]


def fixture_rows(trie):
    rows, seen = [], set()
    for digits, expected, note in EXTRA_FIXTURE:
        got = lookup_py(trie, digits)
        assert expected == ("" if got is None else got[1] or "-"), (digits, expected, got)
    examples = [(digits, note) for digits, note in example_numbers()]
    for digits, note in examples + [(d, note) for d, _, note in EXTRA_FIXTURE]:
        if digits in seen:
            continue
        seen.add(digits)
        got = lookup_py(trie, digits)
        cc, region = got if got is not None else ("-", None)
        if got is not None:
            reference = libphonenumber_region(digits, cc)
            if reference is False and "libphonenumber" not in note:
                note += " (libphonenumber: none)"
            assert reference in (False, region), (digits, got, reference)
        rows.append("+%s\t%s\t%s\t%s" % (digits, cc, region or "-", note))
    return rows


def libphonenumber_region(digits, cc):
    """region_code_for_number for these E.164 digits: "001" as None, no region as False."""
    n = phonenumbers.parse("+" + digits)
    assert n.country_code == cc
    region = phonenumbers.region_code_for_number(n)
    return False if region is None else None if region == "001" else region


def write(path, text, check):
    if check:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return True
        print("out of date: %s (scripts/watools/gen_regions.py%s)" % (
            os.path.relpath(path, ROOT), " --fixture" if path == FIXTURE else ""))
        return False
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %s (%d bytes, %d lines)" % (os.path.relpath(path, ROOT), len(text.encode()),
                                             text.count("\n")))
    return True


def main(argv):
    if any(a not in ("--fixture", "--stats", "--check") for a in argv):
        sys.exit(__doc__)
    trie = build_trie()
    regions, nodes, rows = swift_regions(trie)
    iso = swift_iso(iso_names())
    if "--stats" in argv:
        print("trie: %d nodes, %d per-length rows; swift %d + %d bytes"
              % (nodes, rows, len(regions.encode()), len(iso.encode())))
        return
    check = "--check" in argv
    ok = write(os.path.join(PHONE_DIR, "PhoneRegions+Generated.swift"), regions, check)
    ok &= write(os.path.join(PHONE_DIR, "ISO3166+Generated.swift"), iso, check)
    if "--fixture" in argv or check:
        lines = [
            "# Generated by scripts/watools/gen_regions.py --fixture from phonenumbers %s." % VERSION,
            "# number\tcalling code\tregion (- for none)\tnote",
        ] + fixture_rows(trie)
        ok &= write(FIXTURE, "\n".join(lines) + "\n", check)
    if check:
        print("generated files are %s" % ("up to date" if ok else "OUT OF DATE"))
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
