"""The demo round (`./demo.sh`, `xuncha demo`): round 2026-3 of SCENARIO.md with invented people, places and
amounts. `scenario` fills a vault with the round, its roster, records, shares and the compilation;
`sheets` enters questionnaire sheets (some flawed on purpose); `word_lists` holds the words and sentence
templates they draw from. It drives the same services a user does and owns nothing else: no rule of the
product may live here, and nothing outside the demo, the benchmarks and the tests may import it.
"""
