package io.hookflow.e2e.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Both are required: a missing browser fails the test
 * with what to install, never skips it (CI installs them in .ci/run). Selenium is pointed at both binaries, so it never
 * tries to download a driver or a browser.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("hookflow.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("hookflow.chromedriver", "/usr/bin/chromedriver"));
    static final Dimension WINDOW = new Dimension(1366, 900);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser start(Path work) {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the console's browser tests need Debian's chromium "
                        + "and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does this)");
            }
        }
        try {
            Files.createDirectories(work);
            Path profile = Files.createTempDirectory(work, "chromium-profile-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                    "--window-size=" + WINDOW.width + "," + WINDOW.height, "--lang=en-GB");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withLogFile(work.resolve("chromedriver.log").toFile())
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(WINDOW);
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits up to the timeout for the condition; what it returns when it holds. */
    public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition);
    }

    public <T> T await(Function<WebDriver, T> condition) {
        return await(Duration.ofSeconds(30), condition);
    }

    public WebElement visible(By by) {
        return await(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The input, select or textarea labelled with this text: the label that says exactly it, else one that starts so. */
    public WebElement field(String label) {
        return await(d -> {
            List<WebElement> labels = d.findElements(By.tagName("label"));
            WebElement found = labels.stream().filter(l -> l.getText().trim().equals(label)).findFirst()
                    .orElseGet(() -> labels.stream().filter(l -> l.getText().trim().startsWith(label)).findFirst().orElse(null));
            if (found == null) {
                return null;
            }
            String target = found.getAttribute("for");
            if (target != null && !target.isEmpty()) {
                return d.findElement(By.id(target));
            }
            return found.findElement(By.xpath(".//*[self::input or self::select or self::textarea]"));
        });
    }

    public WebElement button(String text) {
        return await(ExpectedConditions.elementToBeClickable(
                By.xpath("//button[normalize-space(.)='" + text + "'] | //a[normalize-space(.)='" + text + "']")));
    }

    /** Waits until the page's text contains the text; answers the page's text. */
    public String awaitText(String text) {
        return awaitText(text, Duration.ofSeconds(30));
    }

    public String awaitText(String text, Duration timeout) {
        await(timeout, d -> d.findElement(By.tagName("body")).getText().contains(text));
        return text();
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Accepts the confirm() the last click opened. */
    public void acceptConfirm() {
        await(ExpectedConditions.alertIsPresent()).accept();
    }

    /** A screenshot of the whole page (the window is stretched to the page's height for it), saved as PNG files. */
    public void screenshot(String name, List<Path> folders) {
        Object height = ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0); "
                + "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        int pageHeight = Math.min(2400, Math.max(WINDOW.height, ((Number) height).intValue() + 20));
        driver.manage().window().setSize(new Dimension(WINDOW.width, pageHeight));
        try {
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            for (Path folder : folders) {
                Files.createDirectories(folder);
                Files.write(folder.resolve(name + ".png"), png);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(WINDOW);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A profile left in target/ is harmless.
        }
    }
}
