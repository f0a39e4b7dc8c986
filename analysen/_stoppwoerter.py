"""Deutsche Stoppwörter für die Themenauswertung der Protokolle (eigene Liste, klein geschrieben).

Allgemeine Funktionswörter und einige Wörter, die in jedem Protokoll stehen und kein Thema sind.
"""

ALLGEMEIN = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anders auch auf aus
bei beim bereits besonders bis bisher bleibt bzw da dabei dadurch dafür dagegen daher damit dann daran darauf
daraus darin darum darunter das dass dazu dem den denen denn der deren des deshalb dessen die dies diese diesem
diesen dieser dieses doch dort durch eben ebenfalls ein eine einem einen einer eines einige einigen einiger
einmal es etwa etwas euch euer falls fast für gab gegen gemeinsam genau gerade gibt gilt ging hab habe haben hat
hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in indem ins ist ja je
jede jedem jeden jeder jedes jedoch jetzt kann kaum kein keine keinem keinen keiner keines können könnte man
manche manchen mehr mehrere mein meist mit muss müssen nach nachdem neben nein nicht nichts noch nun nur ob oder
ohne per schon sehr sein seine seinem seinen seiner seit selbst sich sie sind so sodass solche soll sollen sollte
sollten somit sondern sowie sowohl statt um und uns unser unter usw viel viele vom von vor vorher während wann war
waren warum was weg weil weiter weitere weiteren welche welchem welchen welcher welches wenig wenige wenn wer werden
wie wieder will wir wird wo wohl worden wurde wurden zu zum zur zwar zwischen zwei drei vier fünf ersten erste
neue neuen neuer gut gute guten sowie bereits zudem insgesamt derzeit aktuell aktuelle aktuellen bleiben geht
gehen liegt liegen laufen läuft sowie etc bzw ggf z b ca inzwischen künftig weiterhin dazu darüber
"""

FACHLICH = """
gremium gremiums sozialraum sozialraums sozialraumgremium stadtteil stadtteils stadtteilen stadtteile sitzung
sitzungen protokoll punkt punkte thema themen frage fragen liste bericht berichtet nächsten nächste
"""

STOPPWOERTER = frozenset((ALLGEMEIN + FACHLICH).split())
