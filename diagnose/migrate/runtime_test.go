package migrate

import (
	"strings"
	"testing"
)

// The file's own account, directories and owners go to the runtime stage;
// the words that use the file's ENV are expanded.
func TestBuildOwnAccount(t *testing.T) {
	d := withContext(t, "FROM python:3.12-slim\n"+
		"ENV APP_HOME=/home/web/app\n"+
		"RUN groupadd --system web && useradd --system --gid web --create-home web\n"+
		"RUN mkdir -p $APP_HOME/static\n"+
		"WORKDIR $APP_HOME\n"+
		"COPY requirements.txt .\n"+
		"RUN pip install --no-cache-dir -r requirements.txt\n"+
		"COPY . $APP_HOME/\n"+
		"RUN chown -R web:web \"$APP_HOME\"\n"+
		"USER web\n"+
		"CMD [\"gunicorn\", \"app:app\"]\n",
		map[string]string{"requirements.txt": "gunicorn\n", "app.py": ""})
	m := build(t, d)
	m.has(0, "WORKDIR /home/web/app")
	m.has(1, "COPY . .") // COPY . $APP_HOME/ lands in the application directory
	m.order(1, "WORKDIR /home/web/app", "COPY --from=builder /opt/venv /opt/venv",
		"RUN groupadd --system web && useradd --system --gid web --create-home web",
		"RUN mkdir -p /home/web/app/static", "RUN chown -R web:web /home/web/app")
	if strings.Contains(m.out, "useradd --system --gid 999") {
		t.Errorf("the template's app user is created besides the file's own:\n%s", m.out)
	}
	if u := m.user(); u != "web" {
		t.Errorf("USER %s, want the file's web", u)
	}
	if got := m.exec("cmd"); len(got) == 0 || got[0] != "gunicorn" {
		t.Errorf("CMD %q", got)
	}
}

func TestBuildNodeOwnAccount(t *testing.T) {
	d := withContext(t, "FROM node:20-alpine\n"+
		"RUN addgroup -S app && adduser -S -G app app\n"+
		"WORKDIR /srv/app\n"+
		"COPY package.json package-lock.json ./\n"+
		"RUN npm ci --omit=dev\n"+
		"COPY . .\n"+
		"RUN mkdir -p uploads && chown -R app:app uploads\n"+
		"USER app\n"+
		"CMD [\"node\", \"index.js\"]\n",
		map[string]string{"package.json": `{"name": "a"}`, "package-lock.json": "{}"})
	m := build(t, d)
	m.order(1, "COPY --from=builder /srv/app /srv/app", "RUN addgroup -S app && adduser -S -G app app",
		"RUN mkdir -p /srv/app/uploads && chown -R app:app /srv/app/uploads", "USER app")
}

func TestBuildAccountRefusals(t *testing.T) {
	py := map[string]string{"requirements.txt": "flask\n", "app.py": ""}
	for _, tc := range []struct{ name, src, why string }{
		{"user never created", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nUSER web\nCMD [\"python\", \"app.py\"]\n",
			"line 5: USER web needs an account the runtime stage would have to create"},
		{"mkdir after USER", "FROM python:3.12-slim\nRUN useradd web\nUSER web\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN mkdir -p /app/data\nCMD [\"python\", \"app.py\"]\n",
			"line 7: `mkdir -p /app/data` runs as web (after USER)"},
		{"undefined variable", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN mkdir -p $DATA_DIR\nCMD [\"python\", \"app.py\"]\n",
			"line 5: `mkdir -p $DATA_DIR` uses a variable or a substitution the file does not define"},
		{"build arg", "FROM python:3.12-slim\nARG DATA_DIR=/data\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN mkdir -p $DATA_DIR\nCMD [\"python\", \"app.py\"]\n",
			"line 6: `mkdir -p $DATA_DIR` uses DATA_DIR, which a --build-arg can change"},
		{"substitution", "FROM python:3.12-slim\nENV D=/data\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN mkdir -p ${D:-/x}\nCMD [\"python\", \"app.py\"]\n",
			"line 6: `mkdir -p ${D:-/x}` uses a variable or a substitution"},
	} {
		d := withContext(t, tc.src, py)
		pl, why := Build(d)
		if pl != nil || !strings.HasPrefix(why, tc.why) {
			t.Errorf("%s: got %q, want %q", tc.name, why, tc.why)
		}
	}
}
