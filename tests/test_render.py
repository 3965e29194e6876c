"""What a job's message says: headlines per state, Discord's limits, upload batches."""

from __future__ import annotations

from dataclasses import replace

from bot.config import DiscordSettings
from bot.domain.jobs import JobEvent, JobRequest, JobState
from bot.domain.messages import Message
from bot.domain.options import GenerationOptions
from bot.domain.results import GeneratedImage, SpeechResult
from cogs.attachments import batches_for_upload, shown_images
from cogs.i18n.catalog import texts
from cogs.job_buttons import result_view
from cogs.outbox import edit_interval
from cogs.render import clip, headline, job_embeds

EN = texts("en-US")


def event(state: JobState, **fields: object) -> JobEvent:
    request = JobRequest(
        user_id=1,
        user_name="ada",
        guild_id=2,
        channel_id=3,
        options=GenerationOptions(prompt="a cat", seed=7, steps=20, count=2),
    )
    return JobEvent(
        kind="state", job_id="abc", state=state, request=request, prompt="a cat", **fields
    )  # type: ignore[arg-type]


def test_headlines_follow_the_job():
    assert headline(event(JobState.QUEUED, position=2, queue_length=5, eta_seconds=95), EN) == (
        "⏳ Queued — position 2 of 5 · about 1 min 35 s"
    )
    warming = headline(
        event(JobState.QUEUED, position=1, queue_length=1), EN, warming_up="loading Whisper medium"
    )
    assert warming.endswith("🔥 Warming up: loading Whisper medium…")
    assert headline(event(JobState.DRAWING, step=21, steps=42, eta_seconds=4), EN) == (
        "🎨 Drawing — step 10/20 · 50% · 4 s left"
    )
    assert (
        headline(event(JobState.FAILED, error=Message("no-speech")), EN)
        == "❌ I didn't hear any speech in that recording. Try again, speaking a little closer to the mic."
    )


def test_long_texts_are_cut_to_discords_limits_with_an_ellipsis():
    assert clip("x" * 5000, 4096) == "x" * 4095 + "…" and clip(" short ", 10) == "short"
    speech = SpeechResult("it", 0.97, "parola " * 100, "word " * 100, 20.0, "medium")
    (embed,) = job_embeds(event(JobState.DONE, speech=speech), EN, model="m" * 2000)
    assert all(len(field.value) <= 1024 for field in embed.fields)
    assert embed.fields[0].name == "Heard (Italian, 97%)"
    unsure = replace(speech, language_probability=0.41, translation=None, translation_missing="x")
    (embed,) = job_embeds(event(JobState.DONE, speech=unsure), EN, model="m")
    assert embed.fields[0].name == "Heard (Italian, 41%, unsure: wrong language? pick it below)"
    assert embed.fields[1].name == "No translation" and embed.fields[1].value == "x"


def test_what_was_heard_is_shown_whole_in_embeds_of_its_own_within_the_message_total():
    """Two minutes of fast speech: a transcript and a translation of 2,400 characters each do
    not fit a field (1,024); each is shown whole below the job's embed, and the prompt, which
    repeats the start of the translation, gives way to keep the message within 6,000."""
    transcript = " ".join(f"parola{i}" for i in range(300))
    translation = " ".join(f"word{i:04}" for i in range(240))
    speech = SpeechResult("it", 0.97, transcript, translation, 120.0, "medium")
    done = event(JobState.DONE, speech=speech)
    done = replace(done, prompt=translation[:1000], prompt_cut=True)
    job, heard, translated = job_embeds(done, EN, model="m")

    assert (heard.title, heard.description) == ("Heard (Italian, 97%)", transcript)
    assert (translated.title, translated.description) == ("Translation", translation)
    assert not any(field.name.startswith("Heard") for field in job.fields)
    assert len(job) + len(heard) + len(translated) <= 6000
    assert job.description.endswith("…")  # cut: it repeats the translation
    assert translation.startswith(job.description.removesuffix("…"))

    longer = replace(speech, translation=None, transcript=" ".join(["parola"] * 700))
    pieces = job_embeds(replace(done, speech=longer), EN, model="m")[1:]
    assert [piece.title for piece in pieces] == ["Heard (Italian, 97%)", None]
    assert " ".join(piece.description for piece in pieces) == longer.transcript
    assert all(len(piece.description) <= 4096 for piece in pieces)


def test_uploads_are_split_by_size_and_ten_files_and_flagged_ones_withheld():
    images = [GeneratedImage(b"x" * 400, index, 7 + index, nsfw=index == 3) for index in range(12)]
    assert [len(batch) for batch in batches_for_upload(images, 1000)] == [2] * 6
    assert [len(batch) for batch in batches_for_upload(images, 10**6)] == [10, 2]
    assert [image.index for image in shown_images(images, "withhold")] == [
        i for i in range(12) if i != 3
    ]
    assert len(shown_images(images, "spoiler")) == 12


def test_position_edits_are_spaced_by_the_queue_length():
    settings = DiscordSettings()  # 1.5 s between edits, position edits near 5/s in all
    assert edit_interval(event(JobState.DRAWING), settings) == 1.5
    waiting = replace(event(JobState.QUEUED, position=150, queue_length=200), kind="position")
    assert edit_interval(waiting, settings) == 40.0  # 200 jobs × 1 edit / 40 s = 5 edits/s
    assert edit_interval(replace(waiting, queue_length=3), settings) == 1.5


async def test_result_buttons_fit_discords_rows_and_pack_when_fewer_are_free():
    images = [GeneratedImage(png=b"", index=i, seed=7 + i) for i in range(8)]
    for rows in (5, 4):
        view = result_view("abc", images, rows=rows)
        used = [[item for item in view.children if item.row == row] for row in range(5)]
        assert sum(map(len, used)) == 3 + 2 * 8  # 🎲 ✏️ 🗑️, V1…V8, U1…U8
        assert all(len(row) <= 5 for row in used) and not any(used[rows:])
