print("nlp-vanish")
