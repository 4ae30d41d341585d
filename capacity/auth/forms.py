from flask_babel import lazy_gettext as _l
from capacity.forms import FlaskForm  # WTForms messages from our catalogues
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this computer"))
    next = HiddenField()
    # Answers that were being saved when the login had ended; shown for saving again after login.
    pending = HiddenField()
    submit = SubmitField(_l("Log in"))
