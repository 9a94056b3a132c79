"""奔富联盟: ethnic-village alliances, their members, village companies, bases, maker teams,
activities and tourism figures."""
