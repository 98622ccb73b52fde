# The python3 workload of the replay tests: build, dump and load JSON.
import json

data = {f"key{i}": {"n": i, "half": i / 2, "s": str(i)[::-1]} for i in range(3000)}
text = json.dumps(data, sort_keys=True)
back = json.loads(text)
print(len(text), back["key2999"]["half"], back == data)
