"""Reads whygo's Atom feed with a real feed parser (Debian's python3-feedparser) and prints what
a reader gets, as JSON: the parser's verdict, the feed's title and updated, and each entry's id,
title, updated and alternate link.

    /usr/bin/python3 feed_check.py URL
"""
import json
import sys
import urllib.request

import feedparser

with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    body = response.read()
    content_type = response.headers.get("Content-Type", "")
feed = feedparser.parse(body, response_headers={"content-type": content_type})
print(json.dumps({
    "bozo": int(feed.bozo),
    "problem": str(feed.get("bozo_exception", "")),
    "version": feed.version,
    "title": feed.feed.get("title", ""),
    "updated": feed.feed.get("updated", ""),
    "entries": [{
        "id": e.get("id", ""),
        "title": e.get("title", ""),
        "updated": e.get("updated", ""),
        "alternate": next((l["href"] for l in e.get("links", []) if l.get("rel") == "alternate"), ""),
    } for e in feed.entries],
}))
