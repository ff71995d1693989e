"""wa-tools' Python tooling: the seeded event generators (gen_events, gen_meta), the phone-region
table generator and its check against libphonenumber (gen_regions, check_regions), and the
generator's self-checks (test_gen_events). Python 3 standard library (phonenumbers where said).

Each module runs as a file, `scripts/watools/gen_events.py --help`, or as part of the package
with scripts/ on sys.path, `python3 -m watools.gen_events --help`.
"""
