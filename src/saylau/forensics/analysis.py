"""All the checks of one contest in one call (spec/forensics.md): the one entry point of the package."""

from __future__ import annotations

import numpy as np

from saylau.forensics.channels import compare_channels
from saylau.forensics.digits import digit_test
from saylau.forensics.distributions import distribution, jitter
from saylau.forensics.fingerprint import fingerprint
from saylau.forensics.heaping import heaping
from saylau.forensics.prepare import prepare
from saylau.forensics.regions import outliers, slopes
from saylau.forensics.results import ForensicsReport
from saylau.forensics.types import ForensicsInput, ForensicsSettings

__all__ = ["DEFAULT_SETTINGS", "analyse"]

DEFAULT_SETTINGS = ForensicsSettings()


def analyse(data: ForensicsInput, seed: int, settings: ForensicsSettings = DEFAULT_SETTINGS) -> ForensicsReport:
    """Every check of ``data``. The Monte Carlo parts draw from ``seed`` alone (one independent stream per
    check, numpy's SeedSequence), so the report is reproduced exactly from the data, the seed and the
    settings, and a check's figures do not depend on which other checks ran."""
    sample = prepare(data, settings)
    streams = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5))
    fit_rng, turnout_rng, share_rng, turnout_dip_rng, share_dip_rng = streams
    counts = sample.votes.ravel()
    return ForensicsReport(
        contest=data.contest,
        winner=sample.winner,
        precincts=len(data.precincts),
        analysed=len(sample),
        exclusions=sample.exclusions,
        fingerprint=fingerprint(sample, settings, fit_rng),
        turnout=distribution(
            "turnout",
            sample.turnout,
            settings.bins,
            settings.alpha,
            jitter(sample.cast, sample.registered, turnout_dip_rng),
            sample.regions,
        ),
        share=distribution(
            "share",
            sample.share,
            settings.bins,
            settings.alpha,
            jitter(sample.won, sample.valid, share_dip_rng),
            sample.regions,
        ),
        turnout_heaping=heaping(
            "turnout",
            sample.cast,
            sample.registered,
            sample.regions,
            settings.heaping_simulations,
            settings.alpha,
            turnout_rng,
        ),
        share_heaping=heaping(
            "share", sample.won, sample.valid, sample.regions, settings.heaping_simulations, settings.alpha, share_rng
        ),
        second_digit=digit_test(
            counts, "second_digit", settings.second_digit_min, settings.alpha, settings.digit_mad_floor
        ),
        last_digit=digit_test(counts, "last_digit", settings.last_digit_min, settings.alpha, settings.digit_mad_floor),
        slopes=slopes(sample),
        outliers=outliers(sample, settings.outlier_turnout, settings.outlier_share),
        channels=compare_channels(data.channels, sample.options, sample.winner, settings.alpha),
        synthetic=data.synthetic,
        seed=seed,
        settings=settings,
    )
