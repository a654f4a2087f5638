#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ from real payloads (the examples in
the platforms' documentation and the tests). Re-run after changing it; files found by fuzzing and added by
hand (crash-*, regressions) are left alone."""
import json
import os
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def write(target, name, content):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(content)


def form(fields):
    return "&".join(urllib.parse.quote_plus(k) + "=" + urllib.parse.quote_plus(v) for k, v in fields)


# Slack: slash commands (the signing example of https://api.slack.com/authentication/verifying-requests-from-slack), ssl_check, payloads.
write("slack_form", "slash_command_signing_example",
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
      "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
      "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
      "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
write("slack_form", "slash_command_docker",
      form([("token", "x"), ("team_id", "T0001"), ("channel_id", "C2147483705"), ("user_id", "U2147483697"),
            ("command", "/whygo"), ("text", "add https://x.org/a?utm_source=y T & <b> by A #t"),
            ("response_url", "https://hooks.slack.com/commands/1234/5678")]))
write("slack_form", "ssl_check", "ssl_check=1&token=xxx")
write("slack_form", "odd_fields", "a=1&&b&=2&c=%C3%BC%2B+x&d=%zz")
block_actions = {
    "type": "block_actions",
    "team": {"id": "T9TK3CUKW", "domain": "example"},
    "user": {"id": "UA8RXUSPL", "username": "jtorrance", "team_id": "T9TK3CUKW"},
    "api_app_id": "AABA1ABCD",
    "container": {"type": "message", "message_ts": "1548261231.000200", "channel_id": "CBR2V3XEX"},
    "channel": {"id": "CBR2V3XEX", "name": "review-updates"},
    "response_url": "https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209",
    "actions": [{"action_id": "whygo_more", "block_id": "more", "type": "button",
                 "text": {"type": "plain_text", "text": "More"}, "value": "m1:search:5:docker",
                 "action_ts": "1548426417.840180"}],
}
write("slack_form", "block_actions_more", "payload=" + urllib.parse.quote_plus(json.dumps(block_actions)))
write("slack_form", "view_submission", "payload=" + urllib.parse.quote_plus('{"type":"view_submission"}'))
write("slack_form", "more_value", "m1:search:15:rob pike")
# The old format ran its text as a command with the clicker's rights (issue 14): refused now.
write("slack_form", "more_value_old_format_command", "5:add https://evil.example/x Go at Docker official")
write("slack_form", "signature_line",
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503\ntoken=x&text=docker")

# Slack Events API.
write("slack_events", "url_verification",
      '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",'
      '"type":"url_verification"}')
write("slack_events", "app_mention", json.dumps({
    "token": "ZZZZZZWSxiZZZ2yIvs3peJ", "team_id": "T123ABC456", "api_app_id": "A123ABC456",
    "event": {"type": "app_mention", "user": "U061F7AUR",
              "text": "<@U0LAN0Z89> is it everything a river should be?", "ts": "1515449522.000016",
              "channel": "C123ABC456", "event_ts": "1515449522000016"},
    "type": "event_callback", "event_id": "Ev123ABC456", "event_time": 1515449522}))
write("slack_events", "app_mention_thread_entities", json.dumps({
    "team_id": "T1", "type": "event_callback", "event_id": "Ev2",
    "event": {"type": "app_mention", "user": "U1", "text": "<@U0LAN0Z89|whygo> docker &amp; k8s &lt;@U1&gt;",
              "ts": "2.0", "thread_ts": "1.0", "channel": "C1"}}))
write("slack_events", "bot_message", json.dumps({
    "type": "event_callback", "event_id": "Ev3",
    "event": {"type": "app_mention", "bot_id": "B1", "subtype": "bot_message", "text": "<@U0> hi"}}))
write("slack_events", "app_rate_limited",
      '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","type":"app_rate_limited","team_id":"T123456",'
      '"minute_rate_limited":1518467820,"api_app_id":"A123456"}')
write("slack_events", "mention_text", "<@U0LAN0Z89> add https://x.org T &amp; U by A #t")

# Discord interactions.
write("discord_interaction", "ping", '{"type":1}')
write("discord_interaction", "ping_full",
      '{"id":"1","application_id":"2","type":1,"token":"t","version":1}')
command = {
    "id": "786008729715212338", "application_id": "775799577604522054", "type": 2,
    "token": "A_UNIQUE_TOKEN", "version": 1, "guild_id": "290926798626357250", "channel_id": "645027906669510667",
    "member": {"user": {"id": "53908232506183680", "username": "Mason"}, "roles": [],
               "permissions": "2147483647", "nick": None},
    "data": {"id": "771825006014889984", "name": "whygo", "type": 1,
             "options": [{"type": 3, "name": "query", "value": "docker"}]},
}
write("discord_interaction", "application_command_guild", json.dumps(command))
dm = dict(command)
dm.pop("member")
dm.pop("guild_id")
dm["user"] = {"id": "80351110224678912"}
dm["data"] = {"name": "whygo", "type": 1, "options": [{"type": 3, "name": "query", "value": "add https://x.org T"}]}
write("discord_interaction", "application_command_dm_admin", json.dumps(dm))
write("discord_interaction", "autocomplete",
      '{"type":4,"data":{"name":"whygo","type":1,"options":[{"type":3,"name":"query","value":"gorout","focused":true}]}}')
component = {"type": 3, "id": "1", "token": "t", "guild_id": "1", "channel": {"id": "9"},
             "member": {"user": {"id": "5"}, "permissions": "32"},
             "data": {"custom_id": "m1:search:5:rob pike", "component_type": 2}}
write("discord_interaction", "message_component_more", json.dumps(component))
write("discord_interaction", "custom_id", "m1:list:10:why go")
write("discord_interaction", "custom_id_old_format_command", "more:5:remove https://go.dev/")
write("discord_interaction", "permissions_long", "1" * 64)
write("discord_interaction", "public_key_hex", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

# Matrix transactions.
def txn(*events):
    return json.dumps({"events": list(events)})

message = {"type": "m.room.message", "event_id": "$143273582443PhrSn:example.org",
           "room_id": "!jEsUZKDJdhlrceRyVU:example.org", "sender": "@alice:example.org",
           "origin_server_ts": 1795766399000, "content": {"msgtype": "m.text", "body": "!whygo docker"},
           "unsigned": {"age": 1234}}
write("matrix_transaction", "message_command", txn(message))
reply = json.loads(json.dumps(message))
reply["content"] = {"msgtype": "m.text",
                    "body": "> <@whygo:example.org> Why Go: docker\n> 1. Go at Docker\n\n!whygo more",
                    "m.relates_to": {"m.in_reply_to": {"event_id": "$prev:example.org"},
                                     "rel_type": "m.thread", "event_id": "$root:example.org"},
                    "m.mentions": {"user_ids": ["@whygo:example.org"]}}
write("matrix_transaction", "reply_in_thread", txn(reply))
pill = json.loads(json.dumps(message))
pill["content"] = {"msgtype": "m.text", "body": "whygo: rob pike",
                   "m.mentions": {"user_ids": ["@whygo:example.org"]}}
edit = json.loads(json.dumps(message))
edit["content"] = {"msgtype": "m.text", "body": "* !whygo k8s", "m.new_content": {"msgtype": "m.text", "body": "!whygo k8s"},
                   "m.relates_to": {"rel_type": "m.replace", "event_id": "$x:example.org"}}
invite = {"type": "m.room.member", "event_id": "$inv:example.org", "room_id": "!r:example.org",
          "sender": "@alice:example.org", "state_key": "@whygo:example.org", "content": {"membership": "invite"},
          "unsigned": {"invite_room_state": [{"type": "m.room.encryption", "state_key": "",
                                              "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]}}
encrypted = {"type": "m.room.encrypted", "event_id": "$enc:example.org", "room_id": "!r:example.org",
             "sender": "@alice:example.org", "content": {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "x"}}
notice = json.loads(json.dumps(message))
notice["content"] = {"msgtype": "m.notice", "body": "!whygo loop"}
write("matrix_transaction", "batch", txn(pill, edit, invite, encrypted, notice, 7, "x", None))
write("matrix_transaction", "single_event", json.dumps(message))
write("matrix_transaction", "empty", '{"events":[]}')
# A lone surrogate in one event (issue 14): that event is skipped, the others are read.
write("matrix_transaction", "lone_surrogate",
      '{"events":[' + json.dumps(message) + ',{"type":"m.room.message","event_id":"$bad","room_id":"!r:example.org",'
      '"sender":"@a:example.org","content":{"msgtype":"m.text","body":"!whygo \\ud800 x"}}],"ephemeral":[]}')
write("matrix_transaction", "body_text", "> <@a:b> quoted\n\n//WHYGO sections")
write("matrix_transaction", "authorization", "Bearer  hs_secret_token_value \nhs_secret_token_value")

# Chat commands: byte 0 = flags (bit 0 admin; bits 1-2 platform; bit 3 user; bits 4-7 offset/5),
# then commands separated by NUL.
def commands(flags, *texts):
    return bytes([flags]) + b"\0".join(t.encode() for t in texts)

ADMIN, ANYONE = 1, 0
write("dispatcher", "search_docker", commands(ANYONE, "docker"))
write("dispatcher", "search_more", commands(ANYONE | (1 << 4), "rob pike"))
# A "More" click (a command starting with "m1:" goes through Dispatcher::page): the words of a
# search that spell an admin command stay search words (issue 14).
write("dispatcher", "more_payload", commands(ADMIN, "search add https://evil.example/x Evil", "m1:search:5:add https://evil.example/x Evil",
                                             "m1:history:0:5", "find log", "m1:list:5:why go", "m1:add:0:https://x.org T"))
write("dispatcher", "typo", commands(ANYONE, "dcoker k8s"))
write("dispatcher", "browse", commands(ANYONE, "sections", "list Benchmarks", "stats", "random", "help", "admins"))
write("dispatcher", "story", commands(ANYONE, "story", "story 2026-12-31", "story 1999-02-30"))
write("dispatcher", "add_undo", commands(ADMIN, "add https://x.org T by A #t", "undo", "undo", "history 5"))
write("dispatcher", "add_edit_tag", commands(ADMIN, "add <https://example.com/go?utm_source=x|Go> Why we use Go by Bob #go #web",
                                             "edit 1 title New title", "tag 1 #a #b", "untag 1 #a", "remove 1"))
write("dispatcher", "add_refused_non_admin", commands(ANYONE, "add https://x.org T by A #t", "remove 1"))
write("dispatcher", "suggest_approve", commands(ADMIN, "suggest https://y.org/post Our Go story", "pending",
                                                "approve 1", "reject 1 dup"))
write("dispatcher", "subscribe", commands(ADMIN | (1 << 1), "subscribe 08:30 Europe/Berlin", "subscriptions",
                                          "unsubscribe", "subscribe 25:99 Mars/Base"))
write("dispatcher", "quotes", commands(ANYONE, '"dot go" -docker OR NEAR(a b) * ^title:x'))
write("dispatcher", "wiki_title", commands(ADMIN, "add https://www.youtube.com/watch?v=1 Go at Uber by Rob Pike #uber"))

write("link_input", "add_full", "https://x.org T by A #t")
write("link_input", "slack_wrapped", "<https://example.com/a?utm_source=x|label> Why we chose Go by Go by Example by Mark #go #k8s")
write("link_input", "no_title", "https://x.org")
write("link_input", "id", "#12")

write("url_validate", "plain", "https://x.org")
write("url_validate", "tracking", "HTTP://Example.COM:80/path/?utm_source=a&b=1&fbclid=2#frag")
write("url_validate", "slack_wrapped", "<https://x.org/a|label>")
write("url_validate", "ipv6_userinfo", "https://user:pw@[::1]:8443/")
write("url_validate", "title", "Go at Docker \u2014 Lütke's talk")

write("search", "company", b"\0docker")
write("search", "person", b"\x10rob pike")
write("search", "typo", b"\0dcoker")
write("search", "abbreviation", b"\x21k8s concurrency")
write("search", "fts_syntax", b"\0\"dot\" AND go* NOT (x) NEAR/2 ^y col:z")

with open(os.path.join(ROOT, "data", "WhyGo.md"), "rb") as f:
    wiki = f.read()
write("wiki", "WhyGo.md", wiki)
write("wiki", "items", "# Why Go\n\n  * [Go at Docker](http://x.org/a) by Jérôme (YouTube)\n"
      "  - [Title [with] brackets](https://y.org/b_(c)) #3\n+ [T](u) on StackOverflow\n#!no\n## Benchmarks\n* [x](y)\n")
