"""`factbase watch`: news feeds that may call the base's facts into question.

fetch (`feeds`: each declared feed through the links HTTP session, its XML
screened by `safexml`, parsed by feedparser) -> match (`matching`: one token
index of every watched entity's names) -> filter (`seen`: items already cited
or already in watch.lock.json) -> report (`output`: text, json, markdown,
github, every feed string escaped by `escape`).
"""
