# The python3 workload: build a dict of 200,000 keys and dump it as JSON.
import json

data = {f"key{i}": {"n": i, "sq": i * i, "s": str(i)[::-1]} for i in range(200000)}
text = json.dumps(data, sort_keys=True)
print(len(text))
