"""The expert workstation (专家评审终端): login, letter, declaration, preliminary review, scoring."""
