print("vanish-bench")
