from enterprises.forms.accounts import MembershipRejectForm, MembershipRequestForm, RegisterForm

__all__ = ["MembershipRejectForm", "MembershipRequestForm", "RegisterForm"]
