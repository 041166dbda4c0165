#!/usr/bin/env python3
"""Parses a Prometheus text exposition with the reference parser (Debian's python3-prometheus-client) and
prints its samples as JSON: [{"name": ..., "labels": {...}, "value": ...}, ...]. Exit status 1 when the
text does not parse, so a test fails on any format error the real Prometheus would reject."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    out = []
    try:
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                value = s.value
                if math.isinf(value) or math.isnan(value):
                    value = str(value)
                out.append({"name": s.name, "labels": s.labels, "value": value, "type": family.type})
    except Exception as e:  # the parser raises ValueError and others on malformed input
        print("parse error: %s" % e, file=sys.stderr)
        return 1
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
