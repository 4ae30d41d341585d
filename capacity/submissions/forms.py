"""The upload form (file and track) and the confirm form (the token of the checked upload)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired

from capacity.assessments.models import Track
from capacity.forms import FlaskForm
from capacity.labels import TRACKS


class UploadForm(FlaskForm):
    file = FileField(_l("Submissions file (XLSX or CSV)"), validators=[FileRequired(_l("Choose a file to upload."))],
                     description=_l("Export the submissions from KoboToolbox or ODK Central with XML values and "
                                    "headers (not labels), as XLSX or CSV. At most 10 MB."))
    track = SelectField(_l("Whose assessment the answers are"), validators=[DataRequired()])
    submit = SubmitField(_l("Check the file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The agreed assessment is agreed on the web: only the self and mentor tracks are imported.
        self.track.choices = [(t.value, str(TRACKS[t])) for t in (Track.SELF, Track.MENTOR)]


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import these answers"))
