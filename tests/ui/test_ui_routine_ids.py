"""Routine ids that are not Textual identifiers (an old file, a hand-made one) never crash a screen: the settings
screen gives each routine a widget id of its own."""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace
from textual.widgets import Input
from ui_helpers import fake_clock, settle

from coach.config.settings import load_settings
from coach.routines.catalog import Catalog, load_catalog
from coach.ui.app import make_app

ODD_IDS = ("meine-übungen", "foot-soak.v2", "2-soak")


async def test_the_settings_screen_opens_and_saves_with_ids_textual_would_refuse(
    data_dir: Path, settings_file: Path
) -> None:
    soak = load_catalog().routines["foot-soak"]
    catalog = Catalog(routines={routine_id: replace(soak, id=routine_id) for routine_id in ODD_IDS})
    app = make_app(clock=fake_clock(), data_dir=data_dir, catalog=catalog)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        fields = app.screen.query(Input).results()
        lengths = [field for field in fields if field.id and field.id.startswith("length-")]
        assert len(lengths) == len(ODD_IDS)
        app.screen.length_inputs["meine-übungen"].value = "18m"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert load_settings(settings_file).settings.lengths == {"meine-übungen": "18m"}
