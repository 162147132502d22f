"""How passwords are stored: Argon2id, memory-hard, at a cost a small host can pay
on every sign-in.

Django's PBKDF2 (1,000,000 rounds of SHA-256) costs about 240 ms of CPU per sign-in
on a two-core host and is cheap to run in parallel on graphics cards, which need
almost no memory for it. Argon2id makes every guess also fill `memory_cost` KiB, which
is what makes cracking hardware expensive. OWASP's password storage guidance rates
Argon2id at 19 MiB, two passes and one lane as strong as PBKDF2-SHA256 at 600,000
rounds; 32 MiB and two passes keep the same margin over that floor as Django's
1,000,000 rounds do (about 1.7 times), for about 60 ms of CPU. Django's own Argon2
default (100 MiB) would cost as much CPU as PBKDF2 does here.

One lane (`parallelism = 1`), as in OWASP's figures: lanes split the same memory and
passes between threads, so they change nothing an attacker pays per guess, only how
many cores one sign-in takes. With eight lanes each sign-in started eight threads on
a two-core host, for 5-15% more CPU in all (measured with `process_time`), and took
both cores from every other request while it ran. With one, a sign-in holds one core
for its 60-70 ms and the server's other threads keep the other.

Hashes made with other settings or other hashers still verify, and are rewritten
with these at the member's next sign-in (Django's `must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PeerArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 32 * 1024  # KiB
    parallelism = 1
