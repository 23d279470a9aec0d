"""The demo's synthetic phrases, chosen so that the text fits what happened in the session.

Why banks by rupture type and by theme: a training program teaches with the demo, so a
withdrawal rupture must read like a withdrawal (going quiet, changing the topic), a
confrontation like a confrontation (complaints, challenges), and a reflection after a
salience-5 rupture must not say the trainee felt pleased. No phrase holds an identifier.
"""

from __future__ import annotations

from supervision_workbook.model import RuptureType

RUPTURE_NOTES = {
    RuptureType.withdrawal: (
        "Client went quiet and answered in single words after I proposed the homework.",
        "Client changed topic each time we approached the agreed focus.",
        "Client agreed with everything I suggested but seemed far away.",
    ),
    RuptureType.confrontation: (
        "Client said the sessions were not helping and questioned my experience.",
        "Client objected to the homework and said I was not listening.",
        "Client complained that we keep going over the same ground.",
    ),
}

FOLLOW_UP_NOTES = {
    "yes": "We went back to last week's moment; the client said it had felt dismissive and "
    "we agreed how to pace the homework.",
    "partly": "I named last week's moment; the client acknowledged it briefly and moved on.",
}

#: What the trainee felt, by the theme that was strong (None: nothing strong).
FELT = {
    "criticized-mistreated": (
        "I felt criticised and noticed an urge to defend my approach.",
        "I felt on trial, as if any answer would be the wrong one.",
    ),
    "helpless-inadequate": (
        "I felt helpless, as if nothing I offered would be enough.",
        "I felt unsure of myself and kept second-guessing my questions.",
    ),
    "disengaged": (
        "I felt flat and a little distant in the second half.",
        "I noticed my attention drifting when the client went quiet.",
    ),
    "positive": (
        "I felt pleased with the session and a bit wary of that pleasure.",
        "I felt warm towards the client and looked forward to the session.",
    ),
    "special-overinvolved": (
        "I felt warm and protective, and wondered whose need that was.",
        "I noticed I wanted to be the one who finally helps this client.",
    ),
    None: (
        "I noticed I was talking faster than usual and filling the silences.",
        "I felt a pull to reassure rather than to explore.",
        "I felt settled and curious for most of the session.",
    ),
}

#: After a strained session (a rupture of salience 4 or 5), whatever the themes say.
FELT_AFTER_RUPTURE = (
    "I felt shaken afterwards and replayed the moment several times.",
    "I felt tense and noticed I wanted the session to end.",
)

WHEN = (
    "When the client described the week at work.",
    "When we set the agenda at the start.",
    "When I suggested the between-session task.",
    "Towards the end, when we talked about the break.",
)
MEANING = (
    "It may echo how others respond when the client withdraws.",
    "Possibly a re-enactment of being criticised for needing help.",
    "I am not sure yet; I want to think about it in supervision.",
)
BRING = (
    "How to name the rupture without making the client feel blamed.",
    "Whether my reassurance closed down something important.",
    "Pacing: are we moving to tasks before agreeing on goals?",
    "My own reaction when the client cancelled last week.",
)
