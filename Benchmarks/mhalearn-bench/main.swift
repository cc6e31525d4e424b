import AttentionCore
print("mhalearn-bench: not built yet")
