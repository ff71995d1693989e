#!/usr/bin/env python3
"""check-regions: compare WAKit's Swift phone-region resolver with libphonenumber.

Usage: scripts/watools/check_regions.py [--valid N] [--per-pattern N] [--random N] [--seed S]

How it drives the Swift side: it copies Sources/WAKit/Phone/*.swift (stdlib-only code) into a
scratch package under $TMPDIR/wa-tools-check-regions, next to a tiny `region-probe` executable
that reads E.164 digits (no '+') per line and prints "callingCode region" ("-" for none);
builds it with `swift build`, feeds it every number at once, and compares the answers with
Python's phonenumbers (`pip install phonenumbers`, the version named in the generated file).
The project's own Package.swift is not touched; the scratch package stays, so that the next
run only rebuilds what changed.

What it checks (every category must agree 100%; the exit status is 1 otherwise):
  examples  every region's example number of every number type, and the non-geographic
            codes' examples: region_code_for_number(parse("+" + digits))
  valid     N (default 30000) random valid numbers derived from the examples by changing
            trailing digits, kept when is_valid_number accepts them; shared calling codes
            get a larger share
  patterns  valid numbers sampled from every region's number-type patterns (each
            alternative as likely as its siblings, so every area code and range gets picked):
            N per pattern (default 6), 20 N for the regions of shared calling codes
  shared    N (default 30000) random digit strings under the shared calling codes, any
            length: where libphonenumber gives a region, the resolver must give the same;
            where it gives none, the resolver gives a fallback (counted, not an error)
  codes     random 7-15 digit strings: the calling code must be libphonenumber's, or none
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneNumber, PhoneNumberType
from phonenumbers.phonenumberutil import _extract_country_code

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHONE_DIR = os.path.join(ROOT, "Sources", "WAKit", "Phone")
SHARED = {cc: regions for cc, regions in COUNTRY_CODE_TO_REGION_CODE.items() if len(regions) > 1}
TYPES = [v for k, v in vars(PhoneNumberType).items() if k.isupper() and k != "UNKNOWN"]

PROBE_PACKAGE = """// swift-tools-version:6.0
import PackageDescription
let package = Package(
  name: "check-regions",
  targets: [
    .target(name: "WAKit"),
    .executableTarget(name: "region-probe", dependencies: ["WAKit"]),
  ]
)
"""

PROBE_MAIN = """@testable import WAKit  // the lookup is internal; debug builds allow testable imports
var out = ""
while var line = readLine(strippingNewline: true) {
  let answer = line.withUTF8 { PhoneRegions.lookup(digits: UnsafeRawBufferPointer($0)) }
  if let answer {
    out += "\\(answer.callingCode) \\(answer.region?.string ?? "-")\\n"
  } else {
    out += "- -\\n"
  }
  if out.utf8.count > 1 << 16 {
    print(out, terminator: "")
    out = ""
  }
}
print(out, terminator: "")
"""


def build_probe():
    """Builds the probe package; returns the path of its executable."""
    base = os.path.join(tempfile.gettempdir(), "wa-tools-check-regions")
    wakit = os.path.join(base, "Sources", "WAKit")
    probe = os.path.join(base, "Sources", "region-probe")
    os.makedirs(probe, exist_ok=True)
    if os.path.isdir(wakit):
        shutil.rmtree(wakit)
    os.makedirs(wakit)
    for name in sorted(os.listdir(PHONE_DIR)):
        if name.endswith(".swift"):
            shutil.copy2(os.path.join(PHONE_DIR, name), wakit)
    for path, text in ((os.path.join(base, "Package.swift"), PROBE_PACKAGE),
                       (os.path.join(probe, "main.swift"), PROBE_MAIN)):
        if not os.path.exists(path) or open(path).read() != text:
            with open(path, "w") as f:
                f.write(text)
    subprocess.run(["swift", "build", "--package-path", base, "--product", "region-probe"],
                   check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "--package-path", base, "--show-bin-path"],
                         check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "region-probe")


def run_probe(exe, numbers):
    text = "".join(d + "\n" for d in numbers)
    out = subprocess.run([exe], input=text, check=True, capture_output=True, text=True).stdout
    answers = []
    for line in out.splitlines():
        cc, region = line.split(" ")
        answers.append((None if cc == "-" else int(cc), None if region == "-" else region))
    assert len(answers) == len(numbers)
    return answers


def parsed_region(digits):
    """libphonenumber on the E.164 string: (calling code, region); region "001" is None."""
    n = phonenumbers.parse("+" + digits)
    region = phonenumbers.region_code_for_number(n)
    return n.country_code, (None if region == "001" else region)


def direct_region(cc, nsn):
    """region_code_for_number for calling code + national digits taken as written (no national
    prefix stripped, as parse() might do for an invalid number). False: no region."""
    zeros = min(len(nsn) - len(nsn.lstrip("0")), len(nsn) - 1)   # "000" is "00" and 0
    n = PhoneNumber(country_code=cc, national_number=int(nsn) if nsn else 0)
    if zeros > 0:
        n.italian_leading_zero = True
        n.number_of_leading_zeros = zeros
    if phonenumbers.national_significant_number(n) != nsn:
        return "?"
    region = phonenumbers.region_code_for_number(n)
    return False if region is None else None if region == "001" else region


def examples():
    out = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for t in TYPES:
            n = phonenumbers.example_number_for_type(region, t)
            if n is not None:
                out.append("%d%s" % (n.country_code, phonenumbers.national_significant_number(n)))
    for cc in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        for t in TYPES:
            md = phonenumbers.PhoneMetadata.metadata_for_nongeo_region(cc)
            desc = phonenumbers.phonenumberutil._number_desc_by_type(md, t)
            if desc is not None and desc.example_number:
                out.append("%d%s" % (cc, desc.example_number))
    return sorted(set(out))


def derived_valid(rng, seeds, count):
    """Valid numbers made from the examples by replacing 1-6 trailing digits."""
    weights = [8 if int(_extract_country_code(s)[0]) in SHARED else 1 for s in seeds]
    out, seen, tries = [], set(), 0
    while len(out) < count and tries < count * 50:
        tries += 1
        seed = rng.choices(seeds, weights)[0]
        k = rng.randint(1, min(6, len(seed) - 3))
        digits = seed[:-k] + "".join(rng.choice("0123456789") for _ in range(k))
        if digits in seen:
            continue
        n = phonenumbers.parse("+" + digits)
        if phonenumbers.is_valid_number(n):
            seen.add(digits)
            out.append(digits)
    return out


class Sampler:
    """Random strings matching a metadata pattern: every alternative is as likely as its
    siblings, so that rare branches (one area code among hundreds) get picked too."""

    def __init__(self, pattern):
        self.p, self.i = pattern, 0
        self.tree = self.alt()
        assert self.i == len(pattern), pattern

    def alt(self):
        branches = [self.seq()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.seq())
        return ("alt", branches)

    def seq(self):
        items = []
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            atom = self.atom()
            lo = hi = 1
            if self.i < len(self.p) and self.p[self.i] == "?":
                self.i, lo, hi = self.i + 1, 0, 1
            elif self.i < len(self.p) and self.p[self.i] == "{":
                end = self.p.index("}", self.i)
                body = self.p[self.i + 1:end].split(",")
                self.i, lo, hi = end + 1, int(body[0]), int(body[-1])
            items.append((atom, lo, hi))
        return ("seq", items)

    def atom(self):
        c = self.p[self.i]
        if c == "(":
            self.i += 3 if self.p.startswith("(?:", self.i) else 1
            tree = self.alt()
            self.i += 1
            return tree
        if c == "[":
            end = self.p.index("]", self.i)
            body, self.i, digits = self.p[self.i + 1:end], end + 1, set()
            body = body.replace("\\d", "0-9")
            for j, ch in enumerate(body):
                if ch == "-":
                    digits.update(str(d) for d in range(int(body[j - 1]), int(body[j + 1]) + 1))
                elif ch.isdigit():
                    digits.add(ch)
            return ("set", sorted(digits))
        if self.p.startswith("\\d", self.i):
            self.i += 2
            return ("set", list("0123456789"))
        self.i += 1
        return ("set", [c])

    def paths(self, limit, tree=None, digits=True):
        """Every way through the pattern's alternations (each a tree without "alt"), also
        through each digit of a class other than \\d when `digits`; None when there are more
        than `limit`."""
        kind, body = tree or self.tree
        if kind == "set":
            if digits and len(body) < 10:
                return [(kind, [d]) for d in body]
            return [(kind, body)]
        if kind == "alt":
            out = []
            for branch in body:
                sub = self.paths(limit, branch, digits)
                if sub is None or len(out) + len(sub) > limit:
                    return None
                out += sub
            return out
        out = [[]]
        for atom, lo, hi in body:
            sub = self.paths(limit, atom, digits)
            if sub is None or len(out) * len(sub) > limit:
                return None
            out = [items + [(path, lo, hi)] for items in out for path in sub]
        return [("seq", items) for items in out]

    def sample(self, rng, tree=None):
        kind, body = tree or self.tree
        if kind == "set":
            return rng.choice(body)
        if kind == "alt":
            return self.sample(rng, rng.choice(body))
        return "".join(self.sample(rng, atom) for atom, lo, hi in body
                       for _ in range(rng.randint(lo, hi)))


def pattern_valid(rng, per_pattern):
    """Valid numbers sampled from every region's number-type patterns."""
    out = set()
    for cc, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        for region in regions:
            md = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
            for name in ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost",
                         "personal_number", "voip", "pager", "uan", "voicemail"):
                desc = getattr(md, name)
                if desc is None or not desc.national_number_pattern:
                    continue
                sampler = Sampler(desc.national_number_pattern)
                paths = sampler.paths(5000) or sampler.paths(5000, digits=False) \
                    if cc in SHARED else None
                trees = [sampler.tree] if paths is None else paths
                n = per_pattern if paths is None else 4 * len(trees)
                for i in range(n * 4):
                    digits = "%d%s" % (cc, sampler.sample(rng, trees[i % len(trees)]))
                    if phonenumbers.is_valid_number(phonenumbers.parse("+" + digits)):
                        out.add(digits)
                        n -= 1
                        if n == 0:
                            break
    return sorted(out)


def shared_strings(rng, seeds, count):
    """Digit strings under the shared codes: example prefixes with random tails, and noise."""
    by_cc = {}
    for s in seeds:
        cc, nsn = _extract_country_code(s)
        if cc in SHARED:
            by_cc.setdefault(cc, []).append(nsn)
    out = []
    for i in range(count):
        cc = rng.choice(sorted(SHARED))
        length = rng.randint(1, 15 - len(str(cc)))
        nsn = "".join(rng.choice("0123456789") for _ in range(length))
        if i % 2 and by_cc.get(cc):
            start = rng.choice(by_cc[cc])
            nsn = start[:rng.randint(0, len(start))] + nsn
            nsn = nsn[:max(length, 1)]
        out.append((cc, nsn))
    return out


def main(argv):
    options = {"--valid": 30000, "--per-pattern": 6, "--random": 30000, "--seed": 2024}
    args = list(argv)
    while args:
        if len(args) < 2 or args[0] not in options:
            sys.exit(__doc__)
        options[args[0]] = int(args[1])
        args = args[2:]
    rng = random.Random(options["--seed"])
    exe = build_probe()
    print("phonenumbers %s; probe built from %s" % (phonenumbers.__version__,
                                                   os.path.relpath(PHONE_DIR, ROOT)))
    seeds = examples()
    valid = derived_valid(rng, seeds, options["--valid"])
    patterns = pattern_valid(rng, options["--per-pattern"])
    shared = shared_strings(rng, seeds, options["--random"])
    codes = ["".join(rng.choice("0123456789") for _ in range(rng.randint(7, 15)))
             for _ in range(options["--random"] // 3)]
    numbers = seeds + valid + patterns + ["%d%s" % cs for cs in shared] + codes
    answers = dict(zip(numbers, run_probe(exe, numbers)))
    failed = 0

    def report(name, total, bad, extra=""):
        nonlocal failed
        failed += bad
        print("%-9s %6d numbers, %6d agree (%.3f%%)%s" % (
            name, total, total - bad, 100.0 * (total - bad) / max(total, 1), extra))

    for name, group in (("examples", seeds), ("valid", valid), ("patterns", patterns)):
        bad = 0
        for digits in group:
            want = parsed_region(digits)
            if answers[digits] != want:
                bad += 1
                print("  DIFF +%s: swift %s, libphonenumber %s" % (digits, answers[digits], want))
        report(name, len(group), bad)

    bad = fallback = 0
    for cc, nsn in shared:
        want = direct_region(cc, nsn)
        got = answers["%d%s" % (cc, nsn)]
        if want == "?":
            bad += 1
            print("  cannot build the libphonenumber number for +%d %s" % (cc, nsn))
        elif want is False:
            fallback += 1
            if got[0] != cc or got[1] not in SHARED[cc]:
                bad += 1
                print("  DIFF +%d %s: swift %s, want one of %s" % (cc, nsn, got, SHARED[cc]))
        elif got != (cc, want):
            bad += 1
            print("  DIFF +%d %s: swift %s, libphonenumber %s" % (cc, nsn, got, want))
    report("shared", len(shared), bad,
           "; libphonenumber gives no region for %d of them (fallback used)" % fallback)

    bad = unassigned = 0
    for digits in codes:
        cc = _extract_country_code(digits)[0]
        cc = cc if cc in COUNTRY_CODE_TO_REGION_CODE else None
        unassigned += cc is None
        if answers[digits][0] != cc:
            bad += 1
            print("  DIFF +%s: swift calling code %s, libphonenumber %s" % (
                digits, answers[digits][0], cc))
    report("codes", len(codes), bad, "; %d with no assigned calling code" % unassigned)

    total = len(numbers)
    print("total     %6d numbers, %6d agree (%.3f%%)" % (
        total, total - failed, 100.0 * (total - failed) / total))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
