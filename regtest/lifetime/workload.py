# A small python3 workload for dhat_python3.vgtest: dicts, lists, strings
# and JSON, enough for many blocks of many sizes from python's allocators.
import json

data = {f"key{i}": {"n": i, "square": i * i, "name": str(i)[::-1]} for i in range(3000)}
text = json.dumps(data, sort_keys=True)
back = json.loads(text)
words = sorted(text.split('"'), key=len)
print(len(text), len(back), len(words))
